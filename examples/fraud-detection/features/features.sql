-- The fraud-scoring batch features in DuckDB SQL (the same definitions as features.ts).
-- The input rows are the table "input"; windows are half-open [ts - W, ts) per user.
SELECT
  txn_id,
  avg(amount) OVER w7 AS avg_amount_7d,
  count(*) OVER w24 AS txn_count_24h,
  CASE
    WHEN count(*) OVER w30 >= 2 AND stddev_samp(amount) OVER w30 > 0
    THEN (amount - avg(amount) OVER w30) / stddev_samp(amount) OVER w30
  END AS amount_zscore_30d,
  coalesce(list_position(['grocery', 'restaurants', 'travel', 'electronics', 'fuel', 'gambling', 'crypto', 'other'], merchant_category) - 1, -1) AS mcc_code,
  coalesce(merchant_category IN ('gambling', 'crypto'), false) AS is_high_risk_merchant,
  ((((epoch_ms(ts) // 60000) + tz_offset_min) % 1440 + 1440) % 1440) // 60 AS hour_of_day_local
FROM input
WINDOW
  w7 AS (PARTITION BY user_id ORDER BY ts RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND INTERVAL 1 MILLISECOND PRECEDING),
  w24 AS (PARTITION BY user_id ORDER BY ts RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND INTERVAL 1 MILLISECOND PRECEDING),
  w30 AS (PARTITION BY user_id ORDER BY ts RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND INTERVAL 1 MILLISECOND PRECEDING)
ORDER BY txn_id
