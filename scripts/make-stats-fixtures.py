#!/usr/bin/env python3
"""Writes packages/stats/test/fixtures/scipy-reference.json: deterministic inputs and the statistics and
p-values scipy computes for them. @modelgate/stats tests compare against this file, never against themselves.

    python3 scripts/make-stats-fixtures.py        # needs numpy + scipy (Debian: apt-get install python3-scipy)

Inputs are rounded to 6 decimals *before* scipy sees them, so the JSON holds exactly what was tested.
PSI, total variation and Hellinger have no scipy function: they are computed here with numpy, with the
binning rules documented in packages/stats (reference-quantile edges, numpy 'linear' quantiles).

A second file, packages/stats/test/fixtures/scipy-mpmath-reference.json, holds the values behind the audit of
issue #14 and the methods added for the drift and shadow issues: exact Mann–Whitney p-values in rational arithmetic,
chi-square and Student t at huge degrees of freedom from mpmath (50 digits), and scipy for everything scipy has.
(needs python3-mpmath as well: apt-get install python3-scipy python3-mpmath)
"""
import json
import math
import sys
from fractions import Fraction
import pathlib
import warnings

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance

warnings.simplefilter("ignore")
rng = np.random.default_rng(20261125)
FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "packages/stats/test/fixtures"
OUT = FIXTURES / "scipy-reference.json"
OUT2 = FIXTURES / "scipy-mpmath-reference.json"


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

# ---------------------------------------------------------------- real data: UCI Adult (test/data/adult.csv)
ADULT = pathlib.Path(__file__).resolve().parent.parent / "test/data/adult.csv"
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

elif OUT.exists() and "adult" in json.loads(OUT.read_text()):
    # The Adult data is not next to this checkout (a worktree, a clone): keep the section computed from it before.
    fx["adult"] = json.loads(OUT.read_text())["adult"]
    print(f"{ADULT} not found: the adult section is carried over from {OUT.name}")

OUT.parent.mkdir(parents=True, exist_ok=True)
text = json.dumps(fx, separators=(",", ":"))
OUT.write_text(text + "\n")
print(f"wrote {OUT} ({len(text) / 1024:.0f} KiB)")

# ================================================================================================================
# Second file: the audit of issue #14 (values the library got wrong) and the methods added for drift and shadow.
# Its own generator, so the inputs above never move when a case is added below.
import mpmath as mp  # noqa: E402
from scipy.optimize import isotonic_regression, minimize  # noqa: E402

mp.mp.dps = 50
rng2 = np.random.default_rng(20261202)
fx2 = {"generator": "scripts/make-stats-fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__,
       "mpmath": mp.__version__}


def close(a, b, rel):
    return abs(a - b) <= rel * abs(b)


# ---------------------------------------------------------------- Mann–Whitney U, exact distribution in fractions
def mwu_counts(m, n, t):
    """Number of arrangements with U = u, u = 0..t, for samples of sizes m and n: the coefficients of the Gaussian
    binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i) up to q^t, in Python integers (exact)."""
    m, n = min(m, n), max(m, n)
    c = np.zeros(t + 1, dtype=object)
    c[:] = 0
    c[0] = 1
    for i in range(1, m + 1):
        s = n + i
        if s <= t:
            c[s:] = c[s:] - c[: t + 1 - s]  # × (1 − q^s), right-hand side from the old values
        for start in range(i, t + 1, i):  # ÷ (1 − q^i): c[d] += c[d − i], block by block
            end = min(start + i, t + 1)
            c[start:end] = c[start:end] + c[start - i : end - i]
    return c


def mwu_cdf_exact(m, n, t):
    """P(U ≤ t) under H0 as an exact fraction."""
    if t < 0:
        return Fraction(0)
    return Fraction(int(sum(mwu_counts(m, n, min(t, m * n)))), math.comb(m + n, m))


def mwu_exact_case(name, a, b, alternative="two-sided", with_scipy=True):
    a, b = r6(a), r6(b)
    m, n = len(a), len(b)
    u1 = float(stats.mannwhitneyu(a, b, method="asymptotic").statistic)
    u = {"greater": u1, "less": m * n - u1, "two-sided": max(u1, m * n - u1)}[alternative]
    k = int(u)  # scipy casts U to an integer (a tied .5 is truncated) before its exact survival function
    sf = mwu_cdf_exact(m, n, m * n - k)  # P(U ≥ k) = P(U ≤ mn − k) by symmetry
    p = min(Fraction(1), sf * (2 if alternative == "two-sided" else 1))
    case = {"name": name, "a": lst(a), "b": lst(b), "alternative": alternative, "statistic": u1, "pvalue": float(p)}
    if with_scipy:
        sp = float(stats.mannwhitneyu(a, b, method="exact", alternative=alternative).pvalue)
        case["scipyPvalue"] = sp
        if not close(sp, float(p), 1e-9):
            print(f"note: scipy's exact p for {name!r} is {sp}, the exact fraction gives {float(p)}")
    return case


seq = np.arange(160.0)
fx2["mannWhitneyExact"] = [
    mwu_exact_case("160 vs 160, b = a + 30.5 (issue #14)", seq, seq + 30.5),
    mwu_exact_case("160 vs 160, b = a + 30.5, less", seq, seq + 30.5, "less"),
    mwu_exact_case("160 vs 160, b = a + 30.5, greater", seq, seq + 30.5, "greater"),
    mwu_exact_case("200 vs 3000 in the far tail, past the float range of C(3200, 200)", np.arange(200.0) + 2800.5,
                   np.arange(3000.0), "greater", with_scipy=False),
    mwu_exact_case("200 vs 200 at the centre", np.arange(200.0) * 1.0001, np.arange(200.0) + 0.5, with_scipy=False),
    mwu_exact_case("30 vs 45 normals", rng2.normal(0, 1, 30), rng2.normal(0.6, 1, 45)),
    mwu_exact_case("30 vs 45 normals, less", rng2.normal(0, 1, 30), rng2.normal(0.6, 1, 45), "less"),
    mwu_exact_case("30 vs 45 normals, greater", rng2.normal(0, 1, 30), rng2.normal(0.6, 1, 45), "greater"),
    mwu_exact_case("ties: U of .5 truncated as scipy does", np.round(rng2.normal(0, 2, 25)),
                   np.round(rng2.normal(1, 2, 20))),
    mwu_exact_case("ties, less", np.round(rng2.normal(0, 2, 25)), np.round(rng2.normal(1, 2, 20)), "less"),
    mwu_exact_case("1 vs 50", [0.3], rng2.normal(0, 1, 50)),
]


def mwu_asym_case(name, a, b, alternative):
    a, b = r6(a), r6(b)
    res = stats.mannwhitneyu(a, b, method="asymptotic", alternative=alternative)
    return {"name": name, "a": lst(a), "b": lst(b), "alternative": alternative, "statistic": float(res.statistic),
            "pvalue": float(res.pvalue)}


fx2["mannWhitneyAsymptotic"] = [
    mwu_asym_case("shifted normals, less", rng2.normal(0, 1, 120), rng2.normal(0.3, 1, 100), "less"),
    mwu_asym_case("shifted normals, greater", rng2.normal(0, 1, 120), rng2.normal(0.3, 1, 100), "greater"),
    mwu_asym_case("ties, greater", np.round(rng2.normal(0.4, 1.5, 60)), np.round(rng2.normal(0, 1.5, 70)), "greater"),
]


# ---------------------------------------------------------------- chi-square and Student t at huge df (mpmath)
def gamma_pq(a, x):
    """Regularized P(a, x) and Q(a, x) by quadrature of the gamma density in 50 digits. Knots around the mode and,
    on the tail side of x, at multiples of the density's local decay length there, so far tails keep their digits."""
    a, x = mp.mpf(a), mp.mpf(x)
    lg = mp.loggamma(a)
    s = mp.sqrt(a)
    rate = abs((a - 1) / x - 1)  # |d/dt log density| at x
    step = min(s, 1 / rate) if rate > 0 else s
    knots = [a + k * s for k in (-80, -40, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 40, 80)]
    knots += [x + k * step for k in (-200, -50, -20, -8, -3, -1, 1, 3, 8, 20, 50, 200)]

    # mpmath's quad stops on an absolute error estimate: integrate the density relative to its value at x (order 1
    # near x) and scale afterwards, or a tail of 1e-296 would count as converged at any value.
    at_x = (a - 1) * mp.log(x) - x

    def f(t):
        return mp.exp((a - 1) * mp.log(t) - t - at_x)

    scale = mp.exp(at_x - lg)
    p = scale * mp.quad(f, [mp.mpf(0)] + sorted(k for k in knots if 0 < k < x) + [x])
    q = scale * mp.quad(f, [x] + sorted(k for k in knots if k > x) + [mp.inf])
    assert abs(p + q - 1) < mp.mpf(10) ** -30, (a, x, p + q)
    if a <= 5e4:  # where mpmath's own series converges: the two must agree
        for mine, theirs in ((p, mp.gammainc(a, 0, x, regularized=True)), (q, mp.gammainc(a, x, mp.inf, regularized=True))):
            assert abs(mine - theirs) <= mp.mpf(10) ** -25 * abs(theirs), (a, x, mine, theirs)
    return p, q


chi_big = []
for k in [1e3, 3e3, 1e4, 1e5, 1e6, 1e8, 1e10, 1e12, 1e15]:
    for z in [-37, -20, -8, -3, -1, -0.1, 0, 0.3, 1, 2.5, 6, 12, 25, 37]:
        x = float(k + z * math.sqrt(2 * k))
        if x <= 0:
            continue
        p, q = gamma_pq(k / 2, x / 2)
        chi_big.append({"x": x, "k": k, "cdf": float(p), "sf": float(q)})
for x, k in [(0.5, 1e10), (1e10, 1e10), (1e10 - 1e5, 1e10)]:
    p, q = gamma_pq(k / 2, x / 2)
    chi_big.append({"x": x, "k": k, "cdf": float(p), "sf": float(q)})
worst = max(abs(float(stats.chi2.sf(c["x"], c["k"])) / c["sf"] - 1) for c in chi_big if c["sf"] > 1e-290)
print(f"chi-square at huge df: scipy.stats.chi2.sf within {worst:.1e} (relative) of the mpmath quadrature")
fx2["chiSquareLargeDf"] = chi_big


def t_cdf(t, nu):
    t, nu = mp.mpf(t), mp.mpf(nu)
    if t == 0:
        return mp.mpf(0.5)
    tail = mp.betainc(nu / 2, mp.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2
    return tail if t < 0 else 1 - tail


fx2["studentTLargeDf"] = [
    {"t": t, "df": df, "cdf": float(t_cdf(t, df))}
    for df in [1e3, 1e4, 3e4, 1e5, 1e6, 1e8, 1e10, 1e15, 1e20]
    for t in [-37, -20, -8, -3, -1.5, -0.2, 0, 0.7, 2, 5, 12, 30]
]
fx2["studentTInfiniteDf"] = [{"t": t, "cdf": float(mp.ncdf(t))} for t in [-37, -8, -1, 0, 0.5, 3, 9]]

# ---------------------------------------------------------------- pearson on badly scaled data
def pearson_mp(x, y):
    """r of the stored doubles in 50 digits (scipy's pearsonr is off by 6e-10 on 1e9 + x/1000: it centres once)."""
    x, y = [mp.mpf(float(v)) for v in x], [mp.mpf(float(v)) for v in y]
    mx, my = mp.fsum(x) / len(x), mp.fsum(y) / len(y)
    sxy = mp.fsum((a - mx) * (b - my) for a, b in zip(x, y))
    return float(sxy / mp.sqrt(mp.fsum((a - mx) ** 2 for a in x) * mp.fsum((b - my) ** 2 for b in y)))


px = r6(rng2.normal(0, 1, 300))
py = r6(0.5 * px + rng2.normal(0, 1, 300))
fx2["pearsonScaled"] = [
    {"name": name, "x": lst(x), "y": lst(y), "pearson": pearson_mp(x, y), "scipy": float(stats.pearsonr(x, y).statistic)}
    for name, x, y in [
        ("x · 1e160", px * 1e160, py),
        ("x · 1e-170, y · 1e150", px * 1e-170, py * 1e150),
        ("x · 1e305", px * 1e305, py),
        ("1e9 + x / 1000", 1e9 + px / 1000, py),
    ]
]

# ---------------------------------------------------------------- wasserstein against a constant reference
def w1_const_case(name, a, b):
    a, b = r6(a), r6(b)
    raw = float(stats.wasserstein_distance(a, b))
    pooled = float(np.std(np.concatenate([a, b])))
    return {"name": name, "a": lst(a), "b": lst(b), "raw": raw, "pooledStd": pooled,
            "normed": raw / pooled if pooled > 0 else 0.0}


fx2["wassersteinConstantReference"] = [
    w1_const_case("constant reference, spread current", np.full(40, 3.0), rng2.normal(3.2, 1, 60)),
    w1_const_case("two different constants", np.full(5, 1.0), np.full(5, 4.0)),
    w1_const_case("the same constant", np.full(10, 2.0), np.full(7, 2.0)),
]

# ---------------------------------------------------------------- PSI on tie-heavy data (issue #14)
tie_counts = rng2.multinomial(100_000, [0.1] * 10)
tie_ref = np.repeat(np.arange(10.0), tie_counts)
fx2["psiTies"] = {
    "counts": [int(c) for c in tie_counts],  # reference: value v repeated counts[v] times, v = 0..9
    "shiftHalf": psi_np(tie_ref, tie_ref + 0.5)[0],  # current = reference + 0.5 (no drift for decile bins)
    "shiftOne": psi_np(tie_ref, tie_ref + 1)[0],  # current = reference + 1 (drift)
}


# ---------------------------------------------------------------- Wilcoxon signed-rank (scipy defaults)
def wilcoxon_case(name, d, round_inputs=True, **kw):
    d = r6(d) if round_inputs else np.asarray(d, float)
    res = stats.wilcoxon(d, **kw)
    case = {"name": name, "d": lst(d), **kw, "statistic": float(res.statistic), "pvalue": float(res.pvalue)}
    if hasattr(res, "zstatistic"):
        case["z"] = float(res.zstatistic)
    return case


wx = r6(rng2.normal(10, 2, 25))
wy = r6(wx - 0.4 + rng2.normal(0, 1, 25))
fx2["wilcoxon"] = [
    wilcoxon_case("n = 12, exact", rng2.normal(0.5, 1, 12)),
    wilcoxon_case("n = 12, exact, greater", rng2.normal(0.5, 1, 12), alternative="greater"),
    wilcoxon_case("n = 12, exact, less", rng2.normal(0.5, 1, 12), alternative="less"),
    wilcoxon_case("n = 50, exact", rng2.normal(0.2, 1, 50)),
    wilcoxon_case("n = 80, asymptotic", rng2.normal(0.2, 1, 80)),
    wilcoxon_case("n = 80, continuity correction, less", rng2.normal(-0.1, 1, 80), correction=True,
                  alternative="less"),
    wilcoxon_case("ties and zeros, n = 60, zeros dropped (wilcox)", np.round(rng2.normal(0.3, 1.5, 60))),
    wilcoxon_case("ties and zeros, n = 60, pratt", np.round(rng2.normal(0.3, 1.5, 60)), zero_method="pratt"),
    wilcoxon_case("ties and zeros, n = 60, zsplit", np.round(rng2.normal(0.3, 1.5, 60)), zero_method="zsplit"),
    wilcoxon_case("ties, n = 10: every sign flip enumerated", np.round(rng2.normal(0.5, 2, 10))),
    wilcoxon_case("ties, n = 10, greater", np.round(rng2.normal(0.5, 2, 10)), alternative="greater"),
    wilcoxon_case("zeros, n = 12, zsplit", np.round(rng2.normal(0.5, 1, 12)), zero_method="zsplit"),
    wilcoxon_case("ties forced exact: non-integer statistic rounded conservatively",
                  np.round(rng2.normal(0.8, 2, 20)), method="exact"),
    wilcoxon_case("asymptotic forced on n = 15", rng2.normal(0.5, 1, 15), method="asymptotic"),
    {**wilcoxon_case("paired x, y (d = x − y)", wx - wy, round_inputs=False), "x": lst(wx), "y": lst(wy)},
]


# ---------------------------------------------------------------- Hodges–Lehmann estimates with their intervals
def signrank_cdf(n):
    """P(T⁺ ≤ k), k = 0..n(n+1)/2, for the signed-rank statistic without ties (exact fractions)."""
    top = n * (n + 1) // 2
    c = [1] + [0] * top
    for i in range(1, n + 1):
        for k in range(top, i - 1, -1):
            c[k] += c[k - i]
    out, acc = [], 0
    for v in c:
        acc += v
        out.append(Fraction(acc, 2**n))
    return out


def mwu_cdf_table(m, n):
    total, acc, out = math.comb(m + n, m), 0, []
    for v in mwu_counts(m, n, m * n):
        acc += int(v)
        out.append(Fraction(acc, total))
    return out


def order_index(cdf, alpha):
    """Largest c ≥ 1 with P(S ≤ c − 1) ≤ α/2: [X_(c), X_(M+1−c)] covers with probability ≥ 1 − α."""
    c = 1
    while c < len(cdf) and cdf[c] <= Fraction(alpha / 2):  # cdf[c] = P(S ≤ c), the next candidate's tail
        c += 1
    return c, 1 - 2 * float(cdf[c - 1]) if c - 1 >= 0 else 1.0


def normal_order_index(mean, sd, alpha):
    z = stats.norm.ppf(1 - alpha / 2)
    return max(1, math.floor(mean + 0.5 - z * sd))


def hl_one_case(name, d, confidence):
    d = r6(d)
    n = len(d)
    i, j = np.triu_indices(n)
    walsh = np.sort((d[i] + d[j]) / 2)
    big = n * (n + 1) // 2
    ad = np.abs(d)
    exact = n <= 50 and len(np.unique(ad)) == n and not np.any(d == 0)
    alpha = 1 - confidence
    if exact:
        c, achieved = order_index(signrank_cdf(n), alpha)
        c = min(c, (big + 1) // 2)
    else:
        c = normal_order_index(big / 2, math.sqrt(n * (n + 1) * (2 * n + 1) / 24), alpha)
        achieved = None
    case = {"name": name, "d": lst(d), "confidence": confidence, "estimate": float(np.median(walsh)),
            "lower": float(walsh[c - 1]), "upper": float(walsh[big - c]), "method": "exact" if exact else "asymptotic"}
    if achieved is not None:
        case["achievedConfidence"] = achieved
    return case


def hl_two_case(name, a, b, confidence):
    a, b = r6(a), r6(b)
    m, n = len(a), len(b)
    diffs = np.sort((a[:, None] - b[None, :]).ravel())
    exact = m <= 50 and n <= 50 and len(np.unique(np.concatenate([a, b]))) == m + n
    alpha = 1 - confidence
    if exact:
        c, achieved = order_index(mwu_cdf_table(m, n), alpha)
        c = min(c, (m * n + 1) // 2)
    else:
        c = normal_order_index(m * n / 2, math.sqrt(m * n * (m + n + 1) / 12), alpha)
        achieved = None
    case = {"name": name, "a": lst(a), "b": lst(b), "confidence": confidence, "estimate": float(np.median(diffs)),
            "lower": float(diffs[c - 1]), "upper": float(diffs[m * n - c]), "method": "exact" if exact else "asymptotic"}
    if achieved is not None:
        case["achievedConfidence"] = achieved
    return case


fx2["hodgesLehmannOneSample"] = [
    hl_one_case("n = 15, exact, 95%", rng2.normal(0.3, 1, 15), 0.95),
    hl_one_case("n = 30, exact, 98%", rng2.normal(-0.2, 1, 30), 0.98),
    hl_one_case("n = 5: the widest interval reaches only 93.75%", rng2.normal(0, 1, 5), 0.95),
    hl_one_case("ties, n = 40: normal approximation", np.round(rng2.normal(0.5, 2, 40)), 0.95),
    hl_one_case("n = 2000, normal approximation", rng2.standard_t(3, 2000) + 0.05, 0.98),
]
fx2["hodgesLehmannTwoSample"] = [
    hl_two_case("12 vs 15, exact, 95%", rng2.normal(0.5, 1, 12), rng2.normal(0, 1, 15), 0.95),
    hl_two_case("30 vs 45, exact, 98%", rng2.normal(0, 1, 30), rng2.normal(0.4, 1, 45), 0.98),
    hl_two_case("3 vs 4: the widest interval reaches only 94.3%", rng2.normal(0, 1, 3), rng2.normal(0, 1, 4), 0.95),
    hl_two_case("ties, 40 vs 60: normal approximation", np.round(rng2.normal(1, 3, 40)),
                np.round(rng2.normal(0, 3, 60)), 0.95),
    hl_two_case("1500 vs 1200 latencies, normal approximation", rng2.lognormal(3, 0.5, 1500),
                rng2.lognormal(3.05, 0.5, 1200), 0.98),
]

# ---------------------------------------------------------------- intervals and tests for proportions
def proportion_case(k, n, conf, name):
    if name == "clopper-pearson":
        # binomtest's exact interval solves binom.sf(k−1, n, p) = α/2 with brentq (xtol 2e-12); the same equation in
        # beta quantiles, I_p(k, n−k+1) = α/2 and I_p(k+1, n−k) = 1 − α/2, is solved to full precision by betaincinv
        tail = (1 - conf) / 2
        lo = 0.0 if k == 0 else float(special.betaincinv(k, n - k + 1, tail))
        hi = 1.0 if k == n else float(special.betaincinv(k + 1, n - k, 1 - tail))
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="exact")
        assert abs(ci.low - lo) < 1e-11 and abs(ci.high - hi) < 1e-11, (k, n, ci, lo, hi)
    else:
        lo, hi = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method={"wilson-cc": "wilsoncc"}.get(name, name))
    return {"successes": k, "n": n, "confidence": conf, "method": name, "lower": float(lo), "upper": float(hi)}


fx2["proportionInterval"] = [
    proportion_case(k, n, conf, name)
    for k, n in [(0, 20), (20, 20), (7, 40), (480, 1000), (3, 100_000), (1, 2)]
    for conf in [0.95, 0.99]
    for name in ["clopper-pearson", "wilson", "wilson-cc"]
]


def ztest_one_sided(sa, na, sb, nb, alternative):
    p1, p2 = sa / na, sb / nb
    p = (sa + sb) / (na + nb)
    z = (p1 - p2) / math.sqrt(p * (1 - p) * (1 / na + 1 / nb))
    pv = stats.norm.sf(z) if alternative == "greater" else stats.norm.cdf(z)
    return {"successA": sa, "nA": na, "successB": sb, "nB": nb, "alternative": alternative, "statistic": z,
            "pvalue": float(pv)}


fx2["proportionsZOneSided"] = [ztest_one_sided(70, 520, 45, 500, "greater"), ztest_one_sided(70, 520, 45, 500, "less"),
                               ztest_one_sided(3, 10_000, 9, 10_000, "less")]


# ---------------------------------------------------------------- Holm's step-down correction (by hand)
def holm(p):
    p = np.asarray(p, float)
    m = len(p)
    o = np.argsort(p, kind="stable")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[o]))
    out = np.empty(m)
    out[o] = adj
    return out


hp3 = [0.01, 0.04, 0.04, 0.03, 0.5, 0.01]
fx2["holm"] = [{"p": p, "adjusted": lst(holm(p))} for p in [ps, ps2, hp3]]


# ---------------------------------------------------------------- isotonic regression (scipy.optimize)
def iso_case(name, y, w=None, increasing=True):
    y = r6(y)
    w = None if w is None else r6(w)
    res = isotonic_regression(y, weights=w, increasing=increasing)
    return {"name": name, "y": lst(y), "weights": None if w is None else lst(w), "increasing": increasing,
            "fitted": lst(res.x), "blocks": [int(v) for v in res.blocks]}


trend = np.linspace(0, 3, 50)
fx2["isotonic"] = [
    iso_case("noisy trend", trend + rng2.normal(0, 1, 50)),
    iso_case("noisy trend, weighted", trend + rng2.normal(0, 1, 50), rng2.uniform(0.5, 2, 50)),
    iso_case("decreasing", -trend + rng2.normal(0, 1, 50), increasing=False),
    iso_case("already increasing", trend),
    iso_case("reversed", trend[::-1]),
    iso_case("constant", np.full(7, 0.25)),
]


def iso_fit_case(name, x, y, w, queries):
    """Calibration map as sklearn's IsotonicRegression(out_of_bounds='clip') builds it, by hand: order by x, pool the
    labels of equal x (weighted mean, summed weight), PAVA, then linear interpolation between the distinct x."""
    x, y, w, queries = r6(x), r6(y), r6(w), r6(queries)
    ux, inv = np.unique(x, return_inverse=True)
    sw = np.bincount(inv, weights=w)
    sy = np.bincount(inv, weights=w * y) / sw
    fitted = isotonic_regression(sy, weights=sw, increasing=True).x
    pred = np.interp(queries, ux, fitted)
    return {"name": name, "x": lst(x), "y": lst(y), "weights": lst(w), "queries": lst(queries),
            "thresholdsX": lst(ux), "thresholdsY": lst(fitted), "predictions": lst(pred)}


cs = np.round(rng2.uniform(0, 1, 400), 2)  # scores with ties
cl = (rng2.uniform(0, 1, 400) < cs**2).astype(float)
fx2["isotonicCalibration"] = [
    iso_fit_case("scores with ties, 0/1 labels", cs, cl, np.ones(400), np.linspace(-0.1, 1.1, 25)),
    iso_fit_case("weighted", cs, cl, rng2.uniform(0.2, 3, 400), np.linspace(0, 1, 13)),
]


# ---------------------------------------------------------------- ROC AUC (by hand; = U / (n⁺ n⁻) for 0/1 labels)
def auc_brute(s, y, w):
    """Σ_i Σ_j P_i N_j ([s_i > s_j] + ½[s_i = s_j]) / (ΣP ΣN), P = w·y, N = w·(1 − y) (soft labels allowed)."""
    s, y, w = map(np.asarray, (s, y, w))
    pos, neg = w * y, w * (1 - y)
    gt = (s[:, None] > s[None, :]) + 0.5 * (s[:, None] == s[None, :])
    return float(pos @ gt @ neg / (pos.sum() * neg.sum()))


def auc_case(name, s, y, w=None):
    s, y = r6(s), np.asarray(y, float)
    ww = np.ones(len(s)) if w is None else r6(w)
    value = auc_brute(s, y, ww)
    if w is None and set(np.unique(y)) <= {0.0, 1.0}:
        u = stats.mannwhitneyu(s[y == 1], s[y == 0]).statistic
        assert close(u / ((y == 1).sum() * (y == 0).sum()), value, 1e-12)
    return {"name": name, "scores": lst(s), "labels": lst(y), "weights": None if w is None else lst(ww), "auc": value}


al = (rng2.uniform(0, 1, 300) < 0.4).astype(float)
asc = np.round(al * 0.8 + rng2.normal(0, 0.6, 300), 1)  # rounded: many ties
fx2["rocAuc"] = [
    auc_case("0/1 labels, tied scores", asc, al),
    auc_case("sample weights", asc, al, rng2.uniform(0.1, 2, 300)),
    auc_case("soft labels (expected confusion, as CBPE)", asc, r6(rng2.uniform(0, 1, 300))),
    auc_case("every score tied", np.full(10, 0.3), [0, 1] * 5),
    auc_case("perfect", [0.1, 0.2, 0.3, 0.8, 0.9], [0, 0, 0, 1, 1]),
    auc_case("inverted", [0.1, 0.2, 0.3, 0.8, 0.9], [1, 1, 1, 0, 0]),
]


# ---------------------------------------------------------------- logistic regression (scipy.optimize, same objective)
def logistic_case(name, x, y, l2, w=None):
    """minimize Σ w_i [log(1 + e^z_i) − y_i z_i] / Σ w_i + (l2/2)·‖β‖², z = Xβ + β₀ (intercept not penalized)."""
    x, y = r6(x), np.asarray(y, float)
    n, d = x.shape
    ww = np.ones(n) if w is None else r6(w)
    sw = ww.sum()
    xa = np.hstack([x, np.ones((n, 1))])
    pen = np.r_[np.full(d, l2), 0.0]

    def fun(b):
        z = xa @ b
        return float(ww @ (np.logaddexp(0, z) - y * z) / sw + 0.5 * (pen * b) @ b)

    def jac(b):
        p = 1 / (1 + np.exp(-(xa @ b)))
        return xa.T @ (ww * (p - y)) / sw + pen * b

    def hess(b):
        p = 1 / (1 + np.exp(-(xa @ b)))
        return (xa.T * (ww * p * (1 - p))) @ xa / sw + np.diag(pen)

    b = minimize(fun, np.zeros(d + 1), jac=jac, hess=hess, method="trust-exact", options={"gtol": 1e-13}).x
    for _ in range(3):  # trust-exact stops near 1e-10; plain Newton steps take the gradient to rounding level
        b = b - np.linalg.solve(hess(b), jac(b))
    assert np.max(np.abs(jac(b))) < 1e-14, (name, jac(b))
    return {"name": name, "x": lst(x), "columns": d, "y": lst(y), "weights": None if w is None else lst(ww), "l2": l2,
            "coefficients": lst(b[:d]), "intercept": float(b[d]), "loss": fun(b)}


lx = rng2.normal(0, 1, (400, 3))
ly = (rng2.uniform(0, 1, 400) < 1 / (1 + np.exp(-(0.5 + lx @ np.array([1.5, -2.0, 0.3]))))).astype(float)
sx = rng2.normal(0, 1, (80, 2))
sy = (sx[:, 0] + sx[:, 1] > 0).astype(float)  # separable: only the penalty keeps β finite
hx = np.eye(8)[rng2.integers(0, 8, 600)]  # one-hot (sparse) columns, as synth's feature encoder makes
hy = (rng2.uniform(0, 1, 600) < np.linspace(0.1, 0.9, 8)[hx.argmax(axis=1)]).astype(float)
fx2["logistic"] = [
    logistic_case("dense, 3 columns", lx, ly, 1e-3),
    logistic_case("sample weights", lx, ly, 1e-3, rng2.uniform(0.2, 3, 400)),
    logistic_case("separable, l2 = 0.01", sx, sy, 0.01),
    logistic_case("one-hot columns", hx, hy, 1e-3),
    logistic_case("no penalty", lx[:, :2], ly, 0.0),
]


# ---------------------------------------------------------------- exact binomial test (McNemar on discordant pairs)
def binom_case(k, n, p=0.5, alternative="two-sided"):
    res = stats.binomtest(k, n, p, alternative=alternative)
    return {"k": k, "n": n, "p": p, "alternative": alternative, "pvalue": float(res.pvalue)}


fx2["binomtest"] = [
    binom_case(k, n, p, alt)
    for (k, n, p) in [(3, 10, 0.5), (7, 10, 0.5), (5, 10, 0.5), (0, 12, 0.5), (12, 12, 0.5), (1, 20, 0.3),
                      (9, 20, 0.3), (6, 20, 0.3), (45, 60, 0.5), (130, 200, 0.5), (18, 40, 0.05),
                      (0, 1000, 0.001), (4, 1000, 0.001), (540, 1000, 0.5), (5210, 10000, 0.5),
                      (50_400, 100_000, 0.5), (1, 2, 0.5), (17, 17, 0.9)]
    for alt in ("two-sided", "greater", "less")
]

text2 = json.dumps(fx2, separators=(",", ":"))
OUT2.write_text(text2 + "\n")
print(f"wrote {OUT2} ({len(text2) / 1024:.0f} KiB)")
