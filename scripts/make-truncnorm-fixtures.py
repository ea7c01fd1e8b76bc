#!/usr/bin/env python3
"""Writes the reference values the copula's truncated-normal draws are tested against (never against themselves),
packages/synth/test/fixtures/truncnorm-reference.json: for intervals that take each branch of
redrawTruncatedNormal (narrow near the mean and in either tail, wide around the mean, one-sided, far tails, the whole
line), the deciles of N(mean, sd²) truncated to [lo, hi] from scipy.stats.truncnorm, with its mean and variance.

    python3 scripts/make-truncnorm-fixtures.py        # needs scipy (Debian: apt-get install python3-scipy)
"""
import json
import math
import pathlib

import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent
INF = math.inf

# (mean, sd, lo, hi)
CASES = [
    (0.3, 0.8, 0.1, 0.35),  # narrow, around the mean
    (0.0, 1.0, 2.0, 2.2),  # narrow, upper tail
    (1.0, 0.5, -0.28, -0.2),  # narrow, lower tail
    (0.0, 1.0, 3.5, 3.6),  # narrow, far tail
    (0.2, 0.7, -0.43, 0.43),  # wide, around the mean
    (-0.5, 0.9, -INF, 0.0),  # one-sided, holding the mean
    (0.0, 1.0, 0.7, 1.5),  # within a unit of the mean, small mass
    (0.4, 0.9, -INF, INF),  # the whole line (a missing value)
    (-1.0, 0.6, 0.8, INF),  # far upper tail
    (2.0, 1.0, -INF, -1.0),  # far lower tail
    (0.0, 1.0, -3.0, -1.2),  # lower tail, wide
]

out = []
for mean, sd, lo, hi in CASES:
    a, b = (lo - mean) / sd, (hi - mean) / sd
    dist = stats.truncnorm(a, b, loc=mean, scale=sd)
    probabilities = [i / 10 for i in range(1, 10)]
    out.append(
        {
            "mean": mean,
            "sd": sd,
            "lo": "-Infinity" if lo == -INF else lo,
            "hi": "Infinity" if hi == INF else hi,
            "deciles": [{"p": p, "x": float(dist.ppf(p))} for p in probabilities],
            "truncatedMean": float(dist.mean()),
            "truncatedVariance": float(dist.var()),
        }
    )

(ROOT / "packages/synth/test/fixtures/truncnorm-reference.json").write_text(
    json.dumps({"generator": "scripts/make-truncnorm-fixtures.py", "scipy": scipy.__version__, "cases": out}, indent=1)
    + "\n"
)
