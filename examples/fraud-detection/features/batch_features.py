#!/usr/bin/env python3
"""The fraud-scoring batch features as a plain pandas-free Python job: batch_features.py INPUT OUTPUT.csv.

INPUT is CSV, or JSON Lines when it ends in .jsonl.

Same definitions as features.ts and features.sql: per user, half-open windows [ts - W, ts).
Run by `modelgate skew --batch "cmd:python3 batch_features.py {input} {output}"`.
"""
import bisect
import csv
import json
import math
import sys
from datetime import datetime

MERCHANT_CATEGORIES = ['grocery', 'restaurants', 'travel', 'electronics', 'fuel', 'gambling', 'crypto', 'other']
HIGH_RISK = {'gambling', 'crypto'}
MINUTE = 60_000
DAY = 86_400_000


def parse_ts(text):
    if isinstance(text, (int, float)):
        return int(text)
    if text.lstrip('-').isdigit():
        return int(text)
    return round(datetime.fromisoformat(text.replace('Z', '+00:00')).timestamp() * 1000)


def window_stats(amounts, lo, hi):
    count = hi - lo
    if count <= 0:
        return count, None, None
    total = 0.0
    for q in range(lo, hi):
        total += amounts[q]
    mean = total / count
    if count < 2:
        return count, mean, None
    ss = 0.0
    for q in range(lo, hi):
        ss += (amounts[q] - mean) ** 2
    return count, mean, math.sqrt(ss / (count - 1))


def fmt(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return repr(value)


def main(input_path, output_path):
    with open(input_path, newline='', encoding='utf-8') as f:
        if input_path.endswith('.jsonl'):
            rows = [json.loads(line) for line in f if line.strip()]
        else:
            rows = list(csv.DictReader(f))
    by_user = {}
    for i, row in enumerate(rows):
        row['_ts'] = parse_ts(row['ts'])
        row['_amount'] = float(row['amount'])
        by_user.setdefault(row['user_id'], []).append(i)
    features = [None] * len(rows)
    for indexes in by_user.values():
        indexes.sort(key=lambda i: (rows[i]['_ts'], i))
        times = [rows[i]['_ts'] for i in indexes]
        amounts = [rows[i]['_amount'] for i in indexes]
        for i in indexes:
            t = rows[i]['_ts']
            hi = bisect.bisect_left(times, t)
            count7, mean7, _ = window_stats(amounts, bisect.bisect_left(times, t - 7 * DAY), hi)
            count30, mean30, sd30 = window_stats(amounts, bisect.bisect_left(times, t - 30 * DAY), hi)
            z = (rows[i]['_amount'] - mean30) / sd30 if count30 >= 2 and sd30 > 0 else None
            features[i] = (mean7 if count7 > 0 else None, hi - bisect.bisect_left(times, t - DAY), z)
    with open(output_path, 'w', newline='', encoding='utf-8') as f:
        out = csv.writer(f)
        out.writerow(['txn_id', 'avg_amount_7d', 'txn_count_24h', 'amount_zscore_30d', 'mcc_code',
                      'is_high_risk_merchant', 'hour_of_day_local'])
        for row, (avg7, count24, z) in zip(rows, features):
            category = row['merchant_category']
            mcc = MERCHANT_CATEGORIES.index(category) if category in MERCHANT_CATEGORIES else -1
            minute_of_day = ((row['_ts'] // MINUTE + int(float(row['tz_offset_min']))) % 1440 + 1440) % 1440
            out.writerow([row['txn_id'], fmt(avg7), count24, fmt(z), mcc, fmt(category in HIGH_RISK),
                          minute_of_day // 60])


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: batch_features.py INPUT.csv OUTPUT.csv')
    main(sys.argv[1], sys.argv[2])
