// @modelgate/monitor — public API.
export {}
