// @modelgate/stats — public API.
export {}
