import { ModelGateError } from '../../errors.js'

/**
 * Splits a top-level JSON array into the text of its elements as bytes arrive, tracking strings, escapes and nesting
 * depth, so a large JSON array never has to be parsed (or held) as a whole.
 */
export class JsonArraySplitter {
  sawArray = false
  private depth = 0
  private inString = false
  private escaped = false
  private element = ''
  private done = false
  private readonly file: string

  constructor(file: string) {
    this.file = file
  }

  *push(text: string): Generator<string> {
    let segStart = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (c === 92) this.escaped = true
        else if (c === 34) this.inString = false
        continue
      }
      if (this.depth === 0) {
        if (c === 32 || c === 9 || c === 10 || c === 13) continue
        if (c === 91 && !this.sawArray && !this.done) {
          this.sawArray = true
          this.depth = 1
          segStart = i + 1
          continue
        }
        throw new ModelGateError(
          'MG_JSON_NOT_ARRAY',
          `${this.file}: expected a JSON array of objects${this.done ? ' and nothing after it' : ''}.`,
          {
            hint: 'For one object per line use the .jsonl extension.',
            location: { file: this.file },
          },
        )
      }
      if (c === 34) this.inString = true
      else if (c === 123 || c === 91) this.depth++
      else if (c === 125 || c === 93 || c === 44) {
        if (this.depth === 1) {
          const piece = (this.element + text.slice(segStart, i)).trim()
          this.element = ''
          segStart = i + 1
          if (piece !== '') yield piece
          else if (c === 44)
            throw new ModelGateError('MG_JSON_INVALID', `${this.file}: empty element in the JSON array.`, {
              location: { file: this.file },
            })
          if (c === 93) {
            this.depth = 0
            this.done = true
          } else if (c === 125)
            throw new ModelGateError('MG_JSON_INVALID', `${this.file}: unexpected "}" in the JSON array.`, {
              location: { file: this.file },
            })
          continue
        }
        if (c !== 44) this.depth--
      }
    }
    if (this.depth > 0) this.element += text.slice(segStart)
  }

  end(): void {
    if (this.sawArray && !this.done) {
      throw new ModelGateError('MG_JSON_INVALID', `${this.file}: the JSON array is not closed (file truncated?).`, {
        location: { file: this.file },
      })
    }
  }
}
