/** The last line of a command's output that is not blank, trimmed: what an error message quotes of it. */
export function lastNonEmptyLine(text: string): string | undefined {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).at(-1);
}
