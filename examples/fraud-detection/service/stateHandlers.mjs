// Provider state handlers for `modelgate contracts verify --state-handlers examples/fraud-detection/service/stateHandlers.mjs`.
// The fraud model is loaded at start-up, so the one state the contracts use needs no setup.
export const stateHandlers = {
  'the model is loaded': async () => undefined,
}
export default stateHandlers
