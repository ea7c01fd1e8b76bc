// @modelgate/synth — public API.
export {}
