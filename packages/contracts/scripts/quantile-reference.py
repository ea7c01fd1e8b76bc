"""Writes test/fixtures/quantiles.json: reference quantiles from numpy (type 7, numpy's default 'linear'),
for the quantile bands of contracts expectations. Run once: python3 scripts/quantile-reference.py"""
import json
import math
import numpy as np

# Deterministic, skewed data with ties: a log-normal-like sample built without a RNG.
data = [round(math.exp(3.8 + math.sin(i * 12.9898) * 1.3), 2) for i in range(1, 1002)]
data += [50.0] * 40
probs = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0]
out = {"data": data, "quantiles": [{"p": p, "value": float(np.quantile(np.array(data), p))} for p in probs]}
with open("test/fixtures/quantiles.json", "w") as f:
    json.dump(out, f)
