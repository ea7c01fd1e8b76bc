// @modelgate/stats — public API.
export type { TestResult } from "./TestResult.js"
