/**
 * POSIX shell quoting. Single quotes make every byte literal except the single quote itself,
 * which is closed, escaped and reopened; this holds for newlines, globs, `$(...)` and
 * backticks alike, in sh, bash, dash and zsh.
 */
export function quote(value: string | number): string {
  const text = String(value);
  if (/^[A-Za-z0-9_/.,:=@%+-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A piece of shell that must be inserted as code, not quoted (see `raw`). */
export class RawShell {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Marks trusted shell text (e.g. a command the user wrote in their config) to pass `sh` unquoted. */
export function raw(text: string): RawShell {
  return new RawShell(text);
}

type ShellValue = string | number | RawShell | readonly (string | number)[];

/**
 * Template tag that quotes every interpolated value: sh`rm -rf ${dir}` can never run code
 * hidden in `dir`. Arrays become space-separated quoted words.
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): string {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += shellWord(value) + (strings[i + 1] ?? "");
  });
  return out;
}

function shellWord(value: ShellValue): string {
  if (value instanceof RawShell) return value.text;
  if (Array.isArray(value)) return value.map((v) => quote(v)).join(" ");
  return quote(value as string | number);
}
