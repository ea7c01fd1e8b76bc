import type { ModelGateError } from '@modelgate/core'

/**
 * What to type on the command line about a library error. Libraries name their options, never flags; this names the
 * flag or the command that helps, by error code (and the column the error is about, when it names one).
 */
export function cliHint(error: ModelGateError): string | undefined {
  const column = error.location?.column ?? '<column>'
  switch (error.code) {
    case 'MG_SCHEMA_NOT_FOUND':
      return 'draft one with `modelgate schema infer <data> --out schema.json`'
    case 'MG_SCHEMA_INVALID':
    case 'MG_SCHEMA_VERSION':
      return 'print the format with `modelgate schema jsonschema --format`, or draft a schema with `modelgate schema infer`'
    case 'MG_SYNTH_MODEL_UNREADABLE':
      return 'train one with `modelgate synth train --data <file> --out model.json`'
    case 'MG_SYNTH_CATEGORY_EXPLOSION':
      return `in the schema, set "kind": "text" (or "id") for ${column} instead of "categorical"; or for PII, --pii ${column}:id or --pii ${column}:free_text`
    case 'MG_SYNTH_EVALUATE_MISMATCH':
      return 'name a binary column of the real data with --target'
    case 'MG_SYNTH_WHERE_INVALID':
      return '--where takes column=value'
    case 'MG_CONTRACTS_PACT_INVALID':
      return 'generate pacts with `modelgate contracts generate … --out pacts/`'
    case 'MG_DRIFT_EXPECTATIONS_INVALID':
      return 'derive a fresh file with `modelgate contracts expect --profile schema.json --sample-data data.jsonl`'
    case 'MG_CONTRACTS_PROVIDER_UNREACHABLE':
      return 'check --provider-base-url'
    case 'MG_CONTRACTS_BROKER_UNREACHABLE':
      return 'check --broker-url'
    case 'MG_SKEW_BAD_ADAPTER':
      return 'e.g. --batch "cmd:python3 features.py {input} {output}" --online http://localhost:8080/features'
    case 'MG_SKEW_ONLINE_UNREACHABLE':
      return 'check --online'
    case 'MG_SKEW_NO_KEY_COLUMN':
    case 'MG_SKEW_NULL_KEY':
    case 'MG_SKEW_DUPLICATE_KEY':
      return '--key names the id column; without it rows are keyed by position'
    case 'MG_SKEW_UNKNOWN_FEATURE':
      return 'check --features'
    case 'MG_SKEW_NO_TIME_COLUMN':
      return '--time names the prediction time column'
    case 'MG_SKEW_NO_SPLIT_COLUMN':
      return '--split names the train/test column'
    case 'MG_SKEW_EMPTY_SPLIT':
      return '--train-label / --test-label give the split values'
    default:
      return undefined
  }
}
