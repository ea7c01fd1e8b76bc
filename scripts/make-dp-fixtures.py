#!/usr/bin/env python3
"""Writes the reference values the differential-privacy code is tested against (never against itself),
packages/synth/test/fixtures/dp-reference.json: bivariate normal CDFs Φ₂(h, k; ρ) from
scipy.stats.multivariate_normal.cdf (Genz's algorithm) and the probabilities of the discrete Laplace
distribution P(Z = z) = (1 − α)/(1 + α) · α^|z|, α = exp(−1/scale) (a closed form, written here so the
sampler's test compares frequencies with it). The audit's Clopper–Pearson intervals are stats' proportionInterval,
checked by scripts/make-stats-fixtures.py.

    python3 scripts/make-dp-fixtures.py        # needs scipy (Debian: apt-get install python3-scipy)
"""
import json
import math
import pathlib

import scipy
from scipy import stats

ROOT = pathlib.Path(__file__).resolve().parent.parent

bvn = []
for rho in [-0.999, -0.9, -0.5, -0.1, 0.0, 0.3, 0.7, 0.95, 0.999]:
    for h in [-3.5, -1.2, -0.3, 0.0, 0.4, 1.7, 4.0]:
        for k in [-2.0, -0.5, 0.0, 0.25, 1.3, 3.0]:
            cov = [[1.0, rho], [rho, 1.0]]
            value = stats.multivariate_normal.cdf([h, k], mean=[0, 0], cov=cov, abseps=1e-13, releps=1e-13)
            bvn.append({"h": h, "k": k, "rho": rho, "cdf": float(value)})

laplace = []
for scale in [0.5, 1.0, 3.7, 20.0]:
    a = math.exp(-1.0 / scale)
    laplace.append({"scale": scale, "pmf": [{"z": z, "p": (1 - a) / (1 + a) * a ** abs(z)} for z in range(-6, 7)]})

(ROOT / "packages/synth/test/fixtures/dp-reference.json").write_text(
    json.dumps(
        {"generator": "scripts/make-dp-fixtures.py", "scipy": scipy.__version__, "bivariateNormalCdf": bvn,
         "discreteLaplace": laplace},
        indent=1,
    )
    + "\n"
)
