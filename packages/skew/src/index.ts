// @modelgate/skew — public API.
export {}
