import type { LostColumn } from './modelFile.js'

/**
 * What happened to a lost column, without advice (the caller adds what to do in its own terms):
 * `column "code" is generated all-null although it has no nulls: 100% of its 63 values are in categories seen fewer
 * than 5 times, which are never stored`. `trainingRows` and `nullRate` (the model's) come from the model file.
 */
export function describeLostColumn(lost: LostColumn, o: { k: number; trainingRows: number; nullRate: number }): string {
  const generated = o.nullRate >= 1 ? 'all-null' : `${formatShare(o.nullRate)} null`
  const had =
    lost.values === undefined
      ? 'although the data has values'
      : lost.values >= o.trainingRows
        ? 'although it has no nulls'
        : `although ${formatShare(lost.values / Math.max(1, o.trainingRows))} of its rows have a value`
  const share =
    lost.share === undefined || lost.values === undefined
      ? 'its values'
      : `${formatShare(lost.share)} of its ${lost.values.toLocaleString('en-US')} values`
  const why =
    lost.reason === 'rare-categories'
      ? `are in categories seen fewer than ${o.k} times, which are never stored`
      : lost.reason === 'quasi-identifier'
        ? 'mark repeated entities (a quasi-identifier), which are never stored'
        : `are too few or too rare (each seen fewer than ${o.k} times) for a marginal to be stored`
  return `column "${lost.column}" is generated ${generated} ${had}: ${share} ${why}`
}

function formatShare(share: number): string {
  if (share >= 0.9995) return '100%'
  const pct = share * 100
  return `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`
}
