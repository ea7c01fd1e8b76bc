// @modelgate/drift — public API.
export {}
