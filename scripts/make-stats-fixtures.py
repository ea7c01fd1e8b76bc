#!/usr/bin/env python3
"""Writes packages/stats/test/fixtures/scipy-reference.json: deterministic inputs and the statistics and
p-values scipy computes for them. @modelgate/stats tests compare against this file, never against themselves.

    python3 scripts/make-stats-fixtures.py        # needs numpy + scipy (Debian: apt-get install python3-scipy)

Inputs are rounded to 6 decimals *before* scipy sees them, so the JSON holds exactly what was tested.
PSI, total variation and Hellinger have no scipy function: they are computed here with numpy, with the
binning rules documented in packages/stats (reference-quantile edges, numpy 'linear' quantiles).
"""
import json
import math
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261125)
OUT = pathlib.Path(__file__).resolve().parent.parent / "packages/stats/test/fixtures/scipy-reference.json"


def r6(x):
    return np.round(np.asarray(x, dtype=float), 6)


def lst(x):
    return [float(v) for v in np.asarray(x).ravel()]


fx = {"generator": "scripts/make-stats-fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__}

# ---------------------------------------------------------------- distribution functions
xs = [-38, -30, -20, -10, -8.5, -5, -3, -1.96, -1, -0.5, -0.1, 0, 0.3, 0.46875, 1, 2.5, 4, 6, 9, 15]
fx["normal"] = {
    "cdf": [{"x": x, "value": float(stats.norm.cdf(x))} for x in xs],
    "sf": [{"x": x, "value": float(stats.norm.sf(x))} for x in xs],
    "ppf": [{"p": p, "value": float(stats.norm.ppf(p))} for p in
            [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.025, 0.05, 0.075, 0.2, 0.5, 0.7, 0.925, 0.99, 0.999999,
             1 - 1e-12]],
}
fx["studentT"] = [{"t": t, "df": df, "cdf": float(stats.t.cdf(t, df))}
                  for t in [-40, -8, -3.2, -2, -0.7, 0, 0.4, 1.5, 2.8, 6, 25]
                  for df in [1, 2.5, 7, 30, 151.3, 2000]]
fx["chiSquare"] = [{"x": x, "k": k, "cdf": float(stats.chi2.cdf(x, k)), "sf": float(stats.chi2.sf(x, k))}
                   for x in [0.001, 0.5, 1, 3.84, 7, 15, 40, 120, 400]
                   for k in [1, 2, 3, 9, 50, 300]]

from scipy import special  # noqa: E402

fx["special"] = {
    "lnGamma": [{"x": x, "value": float(special.gammaln(x))} for x in [0.1, 0.5, 1, 1.5, 2, 3.7, 10, 55.5, 171.3, 1e4]],
    "gammaP": [{"a": a, "x": x, "p": float(special.gammainc(a, x)), "q": float(special.gammaincc(a, x))}
               for a in [0.5, 1, 2.5, 10, 120] for x in [0.01, 0.7, 2, 9, 30, 150]],
    "betaInc": [{"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
                for x in [0.001, 0.1, 0.35, 0.5, 0.8, 0.999] for a, b in [(0.5, 0.5), (1, 3), (2.5, 7), (30, 2), (0.5, 100)]],
    "erfc": [{"x": x, "value": float(special.erfc(x))} for x in [-3, -0.2, 0, 0.3, 0.46875, 0.5, 1, 2.5, 4, 4.5, 10, 26]],
}

# Kolmogorov distribution of D_n (kstwo), across every branch of the Simard–L'Ecuyer selection.
kstwo = []
for n in [3, 10, 50, 140, 141, 500, 5000, 50000, 200000, 1000000]:
    for nx2 in [0.3, 0.6, 0.9, 1.5, 2.5, 3.5, 6, 20]:
        x = math.sqrt(nx2 / n)
        if x < 1:
            kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
    for x in [0.6 / n, 0.9 / n, 0.55, 0.8, 1 - 1.5 / n]:
        if 0 < x < 1:
            kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})
fx["kstwo"] = kstwo


# ---------------------------------------------------------------- two-sample KS
def ks_case(name, a, b, method="auto", alternative="two-sided"):
    a, b = r6(a), r6(b)
    res = stats.ks_2samp(a, b, method={"auto": "auto", "exact": "exact", "asymptotic": "asymp"}[method],
                         alternative=alternative)
    return {"name": name, "a": lst(a), "b": lst(b), "method": method, "alternative": alternative,
            "statistic": float(res.statistic), "pvalue": float(res.pvalue)}


fx["ks"] = [
    ks_case("small unequal samples, exact", rng.normal(0, 1, 25), rng.normal(0.5, 1, 30)),
    ks_case("equal sizes, exact", rng.normal(0, 1, 40), rng.normal(0.3, 1.4, 40)),
    ks_case("tiny samples", rng.normal(0, 1, 5), rng.normal(2, 1, 6)),
    ks_case("ties from rounded data", np.round(rng.normal(0, 2, 60)), np.round(rng.normal(0.5, 2, 45))),
    ks_case("same distribution, large p", rng.uniform(0, 1, 300), rng.uniform(0, 1, 250)),
    ks_case("medium exact, coprime sizes", rng.exponential(1, 2001), rng.gamma(1.1, 1, 1500)),
    ks_case("exact far tail, unequal sizes", rng.normal(0, 1, 300), rng.normal(4, 1, 200)),
    ks_case("exact far tail, equal sizes", rng.normal(0, 1, 150), rng.normal(3, 1, 150)),
    ks_case("asymptotic, moderate shift", rng.normal(0, 1, 700), rng.normal(0.1, 1, 600), "asymptotic"),
    ks_case("asymptotic, small effective n", rng.normal(0, 1, 6), rng.normal(0, 1, 900), "asymptotic"),
    ks_case("asymptotic, large distance", rng.normal(0, 1, 400), rng.normal(1.5, 1, 500), "asymptotic"),
    ks_case("asymptotic, no shift", rng.lognormal(0, 1, 1000), rng.lognormal(0, 1, 800), "asymptotic"),
    ks_case("asymptotic, equal odd sizes (n/2 rounds half to even)", rng.normal(0, 1, 1001), rng.normal(0.05, 1, 1001), "asymptotic"),
    ks_case("one-sided greater, exact, unequal", rng.normal(0, 1, 40), rng.normal(0.5, 1, 55), "auto", "greater"),
    ks_case("one-sided less, exact, unequal", rng.normal(0, 1, 40), rng.normal(0.5, 1, 55), "auto", "less"),
    ks_case("one-sided greater, exact, equal", rng.normal(0, 1, 30), rng.normal(0.6, 1, 30), "auto", "greater"),
    ks_case("one-sided less, exact, ties", np.round(rng.normal(0, 2, 50)), np.round(rng.normal(-0.5, 2, 35)), "auto", "less"),
    ks_case("one-sided greater, exact, far tail", rng.normal(0, 1, 120), rng.normal(3, 1, 90), "auto", "greater"),
    ks_case("one-sided greater, asymptotic", rng.normal(0, 1, 900), rng.normal(0.15, 1, 700), "asymptotic", "greater"),
    ks_case("one-sided less, asymptotic", rng.normal(0, 1, 900), rng.normal(0.15, 1, 700), "asymptotic", "less"),
]


# ---------------------------------------------------------------- PSI (numpy, same definition as the library)
def psi_np(ref, cur, bins=10, eps=1e-4):
    ref, cur = np.asarray(ref, float), np.asarray(cur, float)
    q = np.quantile(ref, np.arange(1, bins) / bins)  # numpy default method='linear'
    edges = np.unique(q)  # merges repeated edges (ties)
    rc = np.bincount(np.searchsorted(edges, ref, side="right"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side="right"), minlength=len(edges) + 1)
    return psi_counts_np(rc, cc, eps), len(edges) + 1


def psi_counts_np(rc, cc, eps=1e-4):
    rc, cc = np.asarray(rc, float), np.asarray(cc, float)
    pr = np.maximum(rc / rc.sum(), eps)
    pc = np.maximum(cc / cc.sum(), eps)
    return float(np.sum((pc - pr) * np.log(pc / pr)))


def psi_case(name, ref, cur, bins=10, eps=1e-4):
    ref, cur = r6(ref), r6(cur)
    value, used = psi_np(ref, cur, bins, eps)
    return {"name": name, "reference": lst(ref), "current": lst(cur), "bins": bins, "epsilon": eps,
            "psi": value, "binsUsed": used}


fx["psi"] = [
    psi_case("no drift", rng.normal(0, 1, 2000), rng.normal(0, 1, 1500)),
    psi_case("mean shift", rng.normal(0, 1, 2000), rng.normal(0.5, 1, 1500)),
    psi_case("scale change, 20 bins", rng.normal(0, 1, 2000), rng.normal(0, 2, 1000), 20),
    psi_case("ties merge edges", rng.poisson(1.2, 1000), rng.poisson(1.6, 800)),
    psi_case("empty bins get epsilon", rng.uniform(0, 10, 1000), rng.uniform(0, 1, 300), 5),
    psi_case("epsilon 1e-6", rng.uniform(0, 10, 500), rng.uniform(5, 6, 200), 10, 1e-6),
]
rc = [120, 300, 0, 80, 500]
cc = [100, 250, 30, 0, 620]
fx["psiCounts"] = {"reference": rc, "current": cc, "psi": psi_counts_np(rc, cc)}
fx["psiCategorical"] = {
    "reference": {"web": 500, "ios": 300, "android": 200, "kiosk": 3},
    "current": {"web": 450, "android": 380, "ios": 160, "tv": 10},
    # union order: web, ios, android, kiosk, tv
    "psi": psi_counts_np([500, 300, 200, 3, 0], [450, 160, 380, 0, 10]),
}

# ---------------------------------------------------------------- chi-square, z-test for proportions
def chi2_case(name, ref, cur):
    table = np.array([ref, cur], dtype=float)
    keep = table.sum(axis=0) > 0  # the library drops categories empty in both samples
    res = stats.chi2_contingency(table[:, keep])  # scipy default: Yates only when dof == 1
    return {"name": name, "reference": ref, "current": cur, "statistic": float(res.statistic),
            "pvalue": float(res.pvalue), "dof": int(res.dof)}


fx["chiSquare2xk"] = [
    chi2_case("five categories", [120, 300, 90, 80, 500], [100, 250, 130, 60, 620]),
    chi2_case("2x2 with Yates", [30, 70], [45, 55]),
    chi2_case("empty category dropped", [50, 0, 40, 10], [30, 0, 60, 15]),
    chi2_case("identical proportions", [10, 20, 30], [20, 40, 60]),
]


def ztest(sa, na, sb, nb):
    p1, p2 = sa / na, sb / nb
    p = (sa + sb) / (na + nb)
    z = (p1 - p2) / math.sqrt(p * (1 - p) * (1 / na + 1 / nb))
    return {"successA": sa, "nA": na, "successB": sb, "nB": nb, "statistic": z,
            "pvalue": float(2 * stats.norm.sf(abs(z)))}


fx["proportionsZ"] = [ztest(45, 500, 70, 520), ztest(3000, 10000, 3050, 10000), ztest(1, 40, 9, 38)]

# ---------------------------------------------------------------- distances on distributions
pairs = [
    ([10, 20, 30, 40], [40, 30, 20, 10]),
    ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]),
    ([5, 0, 5, 0], [0, 5, 0, 5]),
    ([1, 2, 3, 4, 0], [1, 2, 3, 4, 0]),
    ([100, 1, 0, 3], [90, 4, 6, 0]),
]
dist = []
for p, q in pairs:
    pp, qq = np.asarray(p, float) / sum(p), np.asarray(q, float) / sum(q)
    dist.append({"p": p, "q": q,
                 "jensenShannon": float(distance.jensenshannon(p, q, base=2)),
                 "totalVariation": float(0.5 * np.abs(pp - qq).sum()),
                 "hellinger": float(np.sqrt(0.5 * ((np.sqrt(pp) - np.sqrt(qq)) ** 2).sum()))})
fx["distributionDistances"] = dist


def js_samples_case(a, b, bins):
    a, b = r6(a), r6(b)
    edges = np.histogram_bin_edges(np.concatenate([a, b]), bins=bins)
    ca, _ = np.histogram(a, edges)
    cb, _ = np.histogram(b, edges)
    return {"a": lst(a), "b": lst(b), "bins": bins, "jensenShannon": float(distance.jensenshannon(ca, cb, base=2))}


fx["jensenShannonSamples"] = [
    js_samples_case(rng.normal(0, 1, 500), rng.normal(0.4, 1.2, 400), 20),
    js_samples_case(rng.uniform(0, 1, 300), rng.uniform(0, 1, 300), 10),
]


def w1_case(a, b):
    a, b = r6(a), r6(b)
    raw = float(stats.wasserstein_distance(a, b))
    return {"a": lst(a), "b": lst(b), "raw": raw, "referenceStd": float(np.std(a)), "normed": raw / float(np.std(a))}


fx["wasserstein"] = [
    w1_case(rng.normal(0, 1, 300), rng.normal(0.5, 1, 250)),
    w1_case(rng.exponential(2, 100), rng.exponential(2.5, 140)),
    w1_case(np.round(rng.normal(5, 2, 80)), np.round(rng.normal(5, 2, 90))),
]

# ---------------------------------------------------------------- rank tests
def ad_case(name, samples):
    samples = [r6(s) for s in samples]
    res = stats.anderson_ksamp(samples, variant="midrank")
    return {"name": name, "samples": [lst(s) for s in samples], "statistic": float(res.statistic),
            "pvalue": float(res.pvalue)}


fx["andersonDarling"] = [
    ad_case("two samples, shifted", [rng.normal(0, 1, 80), rng.normal(0.4, 1, 90)]),
    ad_case("three samples, same", [rng.normal(0, 1, 50), rng.normal(0, 1, 60), rng.normal(0, 1, 55)]),
    ad_case("ties", [np.round(rng.normal(0, 2, 70)), np.round(rng.normal(0.5, 2, 65))]),
    ad_case("p floored", [rng.normal(0, 1, 100), rng.normal(2, 1, 100)]),
    ad_case("p capped", [np.linspace(0, 1, 50), np.linspace(0.001, 1.001, 50)]),
]


def mwu_case(name, a, b, method="asymptotic"):
    a, b = r6(a), r6(b)
    res = stats.mannwhitneyu(a, b, method=method, use_continuity=True)
    return {"name": name, "a": lst(a), "b": lst(b), "method": method, "statistic": float(res.statistic),
            "pvalue": float(res.pvalue)}


fx["mannWhitney"] = [
    mwu_case("shifted normals", rng.normal(0, 1, 120), rng.normal(0.3, 1, 100)),
    mwu_case("ties", np.round(rng.normal(0, 1.5, 60)), np.round(rng.normal(0.4, 1.5, 70))),
    mwu_case("same", rng.uniform(0, 1, 200), rng.uniform(0, 1, 150)),
    mwu_case("exact small", rng.normal(0, 1, 7), rng.normal(1, 1, 6), "exact"),
    mwu_case("exact small 2", rng.normal(0, 1, 9), rng.normal(0.2, 1, 12), "exact"),
]

# ---------------------------------------------------------------- TOST (Schuirmann 1987) through scipy's t-tests
def tost_paired(d, margin):
    d = r6(d)
    lo = stats.ttest_1samp(d + margin, 0, alternative="greater")
    hi = stats.ttest_1samp(d - margin, 0, alternative="less")
    return {"differences": lst(d), "margin": margin, "tLower": float(lo.statistic), "pLower": float(lo.pvalue),
            "tUpper": float(hi.statistic), "pUpper": float(hi.pvalue), "pvalue": float(max(lo.pvalue, hi.pvalue))}


def tost_two(a, b, margin, equal_var):
    a, b = r6(a), r6(b)
    lo = stats.ttest_ind(a + margin, b, alternative="greater", equal_var=equal_var)
    hi = stats.ttest_ind(a - margin, b, alternative="less", equal_var=equal_var)
    return {"a": lst(a), "b": lst(b), "margin": margin, "equalVariance": equal_var,
            "tLower": float(lo.statistic), "pLower": float(lo.pvalue), "tUpper": float(hi.statistic),
            "pUpper": float(hi.pvalue), "pvalue": float(max(lo.pvalue, hi.pvalue))}


fx["tostPaired"] = [tost_paired(rng.normal(0.02, 0.1, 50), 0.05), tost_paired(rng.normal(0.3, 1, 30), 0.1)]
fx["tostTwoSample"] = [
    tost_two(rng.normal(10, 1, 60), rng.normal(10.05, 1, 70), 0.5, True),
    tost_two(rng.normal(10, 1, 40), rng.normal(10.05, 3, 90), 0.5, False),
    tost_two(rng.normal(10, 1, 25), rng.normal(11, 1, 25), 0.5, True),
]

# ---------------------------------------------------------------- correlations and association
x = r6(rng.normal(0, 1, 200))
y = r6(0.6 * x + rng.normal(0, 0.8, 200))
xt, yt = np.round(x * 2) / 2, np.round(y)  # ties
fx["correlation"] = [
    {"x": lst(x), "y": lst(y), "pearson": float(stats.pearsonr(x, y).statistic),
     "spearman": float(stats.spearmanr(x, y).statistic)},
    {"x": lst(xt), "y": lst(yt), "pearson": float(stats.pearsonr(xt, yt).statistic),
     "spearman": float(stats.spearmanr(xt, yt).statistic)},
]
from scipy.stats.contingency import association, crosstab  # noqa: E402

ca = rng.integers(0, 4, 300)
cb = (ca + rng.integers(0, 3, 300)) % 5
table = crosstab(ca, cb).count
fx["cramersV"] = [
    {"table": [[10, 20, 30], [30, 20, 10]], "value": float(association(np.array([[10, 20, 30], [30, 20, 10]]), method="cramer"))},
    {"table": [[25, 0], [0, 25]], "value": float(association(np.array([[25, 0], [0, 25]]), method="cramer"))},
    {"codesA": [int(v) for v in ca], "codesB": [int(v) for v in cb], "value": float(association(table, method="cramer"))},
]

# ---------------------------------------------------------------- Benjamini–Hochberg
ps = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34,
      0.341, 0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986]
ps2 = [float(v) for v in r6(rng.uniform(0, 0.2, 30))]
fx["benjaminiHochberg"] = [{"p": p, "adjusted": lst(stats.false_discovery_control(p, method="bh"))} for p in [ps, ps2]]

# ---------------------------------------------------------------- real data: UCI Adult (../shared/data/adult.csv)
ADULT = pathlib.Path(__file__).resolve().parent.parent.parent / "shared/data/adult.csv"
if ADULT.exists():
    import csv  # noqa: E402

    with ADULT.open() as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f)]
    head, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(head)}

    def num(name, pred=lambda r: True):
        return np.array([float(r[col[name]]) for r in rows if pred(r)])

    male, female = (lambda r: r[col["sex"]] == "Male"), (lambda r: r[col["sex"]] == "Female")
    rich, poor = (lambda r: r[col["income"]] == ">50K"), (lambda r: r[col["income"]] == "<=50K")
    age_m, age_f = num("age", male), num("age", female)
    hours_r, hours_p = num("hours-per-week", rich), num("hours-per-week", poor)
    work = sorted({r[col["workclass"]] for r in rows})
    wc_r = [sum(1 for r in rows if rich(r) and r[col["workclass"]] == w) for w in work]
    wc_p = [sum(1 for r in rows if poor(r) and r[col["workclass"]] == w) for w in work]
    edu = sorted({r[col["education"]] for r in rows})
    inc = sorted({r[col["income"]] for r in rows})
    edu_codes = [edu.index(r[col["education"]]) for r in rows]
    inc_codes = [inc.index(r[col["income"]]) for r in rows]
    ks_age = stats.ks_2samp(age_m, age_f)
    chi = stats.chi2_contingency(np.array([wc_p, wc_r]))
    mw = stats.mannwhitneyu(hours_r, hours_p, method="asymptotic")
    fx["adult"] = {
        "ksAgeBySex": {"statistic": float(ks_age.statistic), "pvalue": float(ks_age.pvalue)},
        "psiHoursByIncome": psi_np(hours_p, hours_r)[0],
        "mannWhitneyHoursByIncome": {"statistic": float(mw.statistic), "pvalue": float(mw.pvalue)},
        "workclass": work,
        "chiSquareWorkclassByIncome": {"statistic": float(chi.statistic), "pvalue": float(chi.pvalue), "dof": int(chi.dof)},
        "cramersVEducationIncome": float(association(crosstab(edu_codes, inc_codes).count, method="cramer")),
        "spearmanAgeHours": float(stats.spearmanr(num("age"), num("hours-per-week")).statistic),
        "pearsonAgeEducationNum": float(stats.pearsonr(num("age"), num("education-num")).statistic),
        "wassersteinAgeBySex": float(stats.wasserstein_distance(age_m, age_f)),
        "andersonDarlingAgeBySex": float(stats.anderson_ksamp([age_m, age_f], variant="midrank").statistic),
    }

OUT.parent.mkdir(parents=True, exist_ok=True)
text = json.dumps(fx, separators=(",", ":"))
OUT.write_text(text + "\n")
print(f"wrote {OUT} ({len(text) / 1024:.0f} KiB)")
