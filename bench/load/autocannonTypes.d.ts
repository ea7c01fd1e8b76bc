// The part of autocannon 8's API that bench/load/autocannon.ts uses (the package ships no types).
declare module 'autocannon' {
  interface Result {
    readonly requests: { readonly total: number; readonly average: number }
    readonly latency: { readonly p50: number; readonly p99: number }
    readonly errors: number
    readonly non2xx: number
  }
  function autocannon(options: { url: string; connections: number; duration: number }): Promise<Result>
  export default autocannon
}
