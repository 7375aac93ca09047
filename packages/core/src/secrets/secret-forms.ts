/** Shorter texts are too likely to hit ordinary output: `***` everywhere would hide more than the secret. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Every way a secret's text can appear in fap's output: as it is; inside a quoted shell word
 * (`'` → `'\''`, see quote); JSON-escaped (a type error quotes values as JSON, --json escapes
 * again); percent-encoded (in a URL); line by line (output is shown a line at a time); and,
 * for a URL with a password, that password alone in all these forms, so the URL re-encoded or
 * shown in part does not give it away.
 */
export function secretForms(secret: string): string[] {
  const bases = [secret, ...secret.split(/\r?\n/), ...urlPasswords(secret)];
  const forms = new Set<string>();
  for (const base of bases) {
    const shell = base.replace(/'/g, `'\\''`);
    for (const form of [base, shell, json(base), json(shell), json(json(base)), encodeURIComponent(base), encodeURI(base)]) {
      if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
    }
  }
  return [...forms];
}

function json(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/**
 * The password of a URL-valued secret (`https://user:pw@host/`), decoded and as written: of every
 * text the URL standard reads a password from (`http:user:pw@host` and leading spaces too), as
 * curl, git and browsers read the same text.
 */
function urlPasswords(secret: string): string[] {
  try {
    const { password } = new URL(secret);
    if (password === "") return [];
    return [password, safeDecode(password)];
  } catch {
    // Not a URL after all: the whole value is still redacted.
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
