import { runCommand } from '@modelgate/cli'

export interface ListeningCommand {
  readonly url: string
  /** Aborts the command (as Ctrl-C does) and resolves with its exit code. */
  stop(): Promise<number>
  /** What it has written to stderr so far. */
  err(): string
}

/**
 * Runs a long-lived `modelgate <args>` (a server) in-process in `cwd`; resolves with its URL once it prints
 * "listening on <url>", or throws its exit code and stderr when it ends before that.
 */
export async function startListening(args: readonly string[], cwd: string): Promise<ListeningCommand> {
  const controller = new AbortController()
  let err = ''
  let listening: (url: string) => void = () => {}
  const url = new Promise<string>((resolve) => {
    listening = resolve
  })
  const done = runCommand(args, {
    out: () => {},
    err: (text) => {
      err += `${text}\n`
      const m = /listening on (http:\S+)/.exec(text)
      if (m?.[1] !== undefined) listening(m[1])
    },
    interactive: false,
    cwd,
    signal: controller.signal,
  })
  const first = await Promise.race([url, done.then((code) => `exit ${code}: ${err}`)])
  if (!first.startsWith('http')) throw new Error(first)
  return {
    url: first,
    stop: async () => {
      controller.abort()
      return await done
    },
    err: () => err,
  }
}
