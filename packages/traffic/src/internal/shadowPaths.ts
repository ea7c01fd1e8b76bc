/**
 * A matcher of request paths (the query string removed) against `mirrorPaths` globs: `*` matches within one path
 * segment (not `/`), `**` any run of characters including `/`; everything else literally. `/v1/models/*` matches
 * `/v1/models/fraud` but not `/v1/models/fraud/predict`; `/v1/**` matches both. No globs = every path.
 */
export function createPathMatcher(globs: readonly string[] | undefined): (path: string) => boolean {
  if (globs === undefined || globs.length === 0) return () => true
  const patterns = globs.map(globToRegExp)
  return (path) => {
    const q = path.indexOf('?')
    const bare = q === -1 ? path : path.slice(0, q)
    return patterns.some((p) => p.test(bare))
  }
}

function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*'
      i++
    } else if (c === '*') source += '[^/]*'
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

/**
 * The route of a request as a pair records it: the first matching glob, else the path without its query string
 * (compiled once; called per mirrored request).
 */
export function createRouter(globs: readonly string[] | undefined): (path: string) => string {
  const patterns = (globs ?? []).map((glob) => [glob, globToRegExp(glob)] as const)
  return (path) => {
    const q = path.indexOf('?')
    const bare = q === -1 ? path : path.slice(0, q)
    for (const [glob, pattern] of patterns) if (pattern.test(bare)) return glob
    return bare
  }
}
