/** The texts a boolean column reads as true and as false (compared lower-cased). */
export const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 't', 'yes', 'y', '1'])
export const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'f', 'no', 'n', '0'])
