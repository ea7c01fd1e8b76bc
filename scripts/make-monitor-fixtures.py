#!/usr/bin/env python3
"""Writes packages/monitor/test/fixtures/cbpe-reference.json: the population ROC AUC of a calibrated classifier
whose scores follow a given distribution, for the monitor's per-window CBPE test.

    python3 scripts/make-monitor-fixtures.py      # needs numpy + scipy (Debian: apt-get install python3-scipy)

A calibrated score s means P(y = 1 | s) = s. With s ~ f, a positive's score has density s·f(s) / E[s] and a
negative's (1 − s)·f(s) / E[1 − s], so the ROC AUC (the probability that a positive outranks a negative) is

    AUC = ∬_{a > b} a (1 − b) f(a) f(b) da db / (E[s] · E[1 − s]),

integrated here with scipy's dblquad, independently of any code in the repository. Each entry also has a Monte
Carlo check with numpy (labels drawn from the scores, scipy's Mann–Whitney U / (n_pos · n_neg)).
"""
import json
import pathlib

import numpy as np
from scipy import integrate, stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "packages/monitor/test/fixtures/cbpe-reference.json"
rng = np.random.default_rng(20261206)


def uniform_auc(lo, hi):
    f = 1.0 / (hi - lo)
    num, _ = integrate.dblquad(lambda a, b: a * (1 - b) * f * f, lo, hi, lambda b: b, lambda b: hi, epsabs=1e-13)
    mean = (lo + hi) / 2
    return num / (mean * (1 - mean))


def monte_carlo(lo, hi, n=400_000):
    s = rng.uniform(lo, hi, n)
    y = rng.uniform(0, 1, n) < s
    u = stats.mannwhitneyu(s[y], s[~y]).statistic
    return float(u / (y.sum() * (~y).sum()))


cases = {}
for lo, hi in [(0.0, 1.0), (0.3, 0.7), (0.1, 0.9)]:
    cases[f"uniform_{lo}_{hi}"] = {"lo": lo, "hi": hi, "rocAuc": uniform_auc(lo, hi), "monteCarlo": monte_carlo(lo, hi)}

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"generator": "scripts/make-monitor-fixtures.py", "cases": cases}, indent=2) + "\n")
print(json.dumps(cases, indent=2))
