/** Replaces every occurrence of a secret value by ***; secrets shorter than 4 characters are too likely to hit ordinary text. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((out, secret) => out.split(secret).join("***"), text);
}
