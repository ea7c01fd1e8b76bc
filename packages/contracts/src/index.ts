// @modelgate/contracts — public API.
export {}
