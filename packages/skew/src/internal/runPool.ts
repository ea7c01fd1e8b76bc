/**
 * Runs `task(i)` for i in [0, n) with at most `concurrency` in flight, in index order of start.
 * Resolves when all have settled; a rejected task rejects the whole run.
 */
export async function runPool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++
      await task(i)
    }
  }
  const workers: Promise<void>[] = []
  for (let w = 0; w < Math.max(1, Math.min(concurrency, n)); w++) workers.push(worker())
  await Promise.all(workers)
}
