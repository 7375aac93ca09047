import { FapError } from "./errors.js";

/** Replaces every occurrence of a secret value by ***; secrets shorter than 4 characters are too likely to hit ordinary text. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  // A quoted command holds a ' of the secret as '\'' (see quote): redact that form too.
  const forms = secrets.flatMap((s) => [s, s.replace(/'/g, `'\\''`)]);
  const values = [...new Set(forms.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((out, secret) => out.split(secret).join("***"), text);
}

/** The same error with every secret value in its message and hint replaced by ***. */
export function redactError(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof FapError) || secrets.length === 0) return error;
  const redact = redactor(secrets);
  const message = redact(error.message);
  const hint = error.hint === undefined ? undefined : redact(error.hint);
  if (message === error.message && hint === error.hint) return error;
  return new FapError(error.code, message, { hint, host: error.host, details: error.details, cause: error });
}
