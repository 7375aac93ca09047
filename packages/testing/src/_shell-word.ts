/** One shell word, single-quoted: the value reaches the command unchanged, whatever it holds. */
export function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
