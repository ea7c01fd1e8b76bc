import type { Document, LineCounter } from 'yaml'
import { isMap, isNode, isPair, isScalar } from 'yaml'
import type { z } from 'zod'

/**
 * The 1-based line of the node an issue is about: the value at its path, or the key it names (an unknown key), or
 * the nearest enclosing node that exists (a missing key is reported at the object that lacks it).
 */
export function locateKeyPath(doc: Document, lines: LineCounter, issue: z.ZodIssue): number | undefined {
  const path = [...issue.path]
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    const map = doc.getIn(path, true)
    if (isMap(map)) {
      const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === issue.keys[0])
      const start = pair !== undefined && isNode(pair.key) ? pair.key.range?.[0] : undefined
      if (start !== undefined) return lines.linePos(start).line
    }
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)
    const start = isNode(node) ? node.range?.[0] : undefined
    if (start !== undefined) return lines.linePos(start).line
  }
  return undefined
}
