// @modelgate/traffic — public API.
export {}
