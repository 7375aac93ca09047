import { FapError, isFapError } from "../errors.js";
import { secretForms } from "./secret-forms.js";
import { escapeRegExp } from "../escape-regexp.js";

/**
 * The one place output loses its secrets. A run's events, its errors, the CLI's stdout,
 * stderr and --log all go through the run's Redactor; secrets learnt later (a key declared
 * secret, resolved per host) are added to it, and apply from then on everywhere.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(secrets: Iterable<string> = []) {
    this.add(secrets);
  }

  /** Redacts these values (in all their forms, see secretForms) from now on. */
  add(secrets: Iterable<string>): this {
    let changed = false;
    for (const secret of secrets) {
      if (typeof secret !== "string" || this.secrets.has(secret)) continue;
      this.secrets.add(secret);
      changed = true;
    }
    if (changed) {
      const forms = [...new Set([...this.secrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      this.pattern = forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join("|"), "g");
    }
    return this;
  }

  get active(): boolean {
    return this.pattern !== undefined;
  }

  /** The text with every form of every secret replaced by ***. */
  readonly text = (text: string): string => (this.pattern === undefined ? text : text.replace(this.pattern, "***"));

  /** A copy of `value` with every string in it redacted: events, error details. Errors become redacted copies. */
  readonly deep = <T>(value: T): T => (this.pattern === undefined ? value : (this.walk(value, new WeakMap()) as T));

  /** The error with its message, hint, details, stack and causes redacted (the same error when nothing needs it). */
  readonly error = (error: unknown): unknown => (this.pattern === undefined ? error : this.walk(error, new WeakMap()));

  private walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === "string") return this.text(value);
    if (typeof value !== "object" || value === null) return value;
    if (seen.has(value)) return seen.get(value);
    if (value instanceof Error) return this.copyError(value, seen);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const item of value) out.push(this.walk(item, seen));
      return out;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [key, item] of Object.entries(value)) out[key] = this.walk(item, seen);
    return out;
  }

  private copyError(error: Error, seen: WeakMap<object, unknown>): Error {
    const cause = error.cause === undefined ? undefined : this.walk(error.cause, seen);
    const copy =
      isFapError(error)
        ? new FapError(error.code, this.text(error.message), {
            hint: error.hint === undefined ? undefined : this.text(error.hint),
            host: error.host,
            plugin: error.plugin,
            hook: error.hook,
            details: this.walk(error.details, seen) as Record<string, unknown>,
            cause,
          })
        : Object.assign(new Error(this.text(error.message), cause === undefined ? undefined : { cause }), { name: error.name });
    seen.set(error, copy);
    // --debug prints stacks: they start with the message, so they hold the secret too.
    if (error.stack !== undefined) copy.stack = this.text(error.stack);
    const code = (error as { code?: unknown }).code;
    if (!(copy instanceof FapError) && code !== undefined) Object.assign(copy, { code });
    return copy;
  }
}

/** Replaces every occurrence of a secret value (in all its forms) by ***; secrets shorter than 4 characters are left. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  return new Redactor(secrets).text;
}

/** The same error with every secret value in its message, hint, details, stack and causes replaced by ***. */
export function redactError(error: unknown, secrets: readonly string[] | Redactor): unknown {
  return (secrets instanceof Redactor ? secrets : new Redactor(secrets)).error(error);
}
