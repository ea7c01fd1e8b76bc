import type { Random } from '@modelgate/core'

/** A draw from Laplace(0, scale) by inverse CDF (Dwork, McSherry, Nissim & Smith 2006). */
export function laplace(random: Random, scale: number): number {
  const u = random.uniform() - 0.5
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u))
}
