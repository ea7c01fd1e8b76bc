// @modelgate/gate — public API.
export {}
