import { ModelGateError } from '../../errors.js'

// What the CSV parser says when a file breaks RFC 4180 or the header rule: each names the file, the 1-based data row
// and the physical line, with how to fix it.

/** The delimiter option is not one character, or is a quote or a newline. */
export function badDelimiter(delimiter: string): ModelGateError {
  return new ModelGateError(
    'MG_CSV_BAD_DELIMITER',
    `The CSV delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}.`,
  )
}

/** A quoted field that reaches the end of the file. */
export function unterminatedQuote(file: string, row: number, line: number): ModelGateError {
  return new ModelGateError(
    'MG_CSV_UNTERMINATED_QUOTE',
    `${file} row ${row.toLocaleString('en-US')} (line ${line}): a quoted field is never closed.`,
    {
      hint: 'Check for a stray " in this row; quotes inside a quoted field are written "".',
      location: { file, row },
    },
  )
}

/** Text after a closing quote other than the delimiter or a line end. */
export function textAfterQuote(file: string, row: number, line: number, char: string): ModelGateError {
  return new ModelGateError(
    'MG_CSV_MALFORMED_QUOTE',
    `${file} row ${row.toLocaleString('en-US')} (line ${line}): unexpected ${JSON.stringify(char)} after a closing quote.`,
    {
      hint: 'A quoted field must end right before the delimiter or line end; write quotes inside it as "".',
      location: { file, row },
    },
  )
}

/** A record with more or fewer fields than the header. */
export function raggedRow(file: string, row: number, line: number, expected: number, got: number): ModelGateError {
  return new ModelGateError(
    'MG_CSV_RAGGED_ROW',
    `${file} row ${row.toLocaleString('en-US')} (line ${line}): expected ${expected} fields like the header, got ${got}.`,
    {
      hint:
        got > expected
          ? 'Quote fields that contain the delimiter, or pass the right delimiter.'
          : 'Every row needs one field per header column; leave missing values empty.',
      location: { file, row },
    },
  )
}

/** Throws `MG_CSV_BAD_HEADER` for a header column without a name or a name used twice. */
export function checkHeader(fields: readonly string[], file: string, line: number): void {
  const seen = new Set<string>()
  fields.forEach((name, k) => {
    if (name === '') {
      throw new ModelGateError('MG_CSV_BAD_HEADER', `${file} line ${line}: header column ${k + 1} has no name.`, {
        hint: 'The first row must name every column.',
        location: { file },
      })
    }
    if (seen.has(name)) {
      throw new ModelGateError('MG_CSV_BAD_HEADER', `${file} line ${line}: header names column "${name}" twice.`, {
        hint: 'Column names must be unique.',
        location: { file, column: name },
      })
    }
    seen.add(name)
  })
}
