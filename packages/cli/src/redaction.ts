import { Redactor } from "@fap/core/internal";

/**
 * The CLI's one redactor: events (fap.events is built on it), errors (print-error), stdout,
 * stderr and --log all use it. prepareRun adds the secrets it reads; a session adds the values
 * of keys declared secret.
 */
export const outputRedactor = new Redactor();

let guarded = false;

/**
 * Every write to stdout and stderr goes through the redactor, whoever writes (a reporter, a
 * warning, commander, a plugin's console.log): a new output path cannot bypass it. fap writes
 * whole lines, so a secret is never split between two writes.
 */
export function guardProcessOutput(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (!outputRedactor.active) return write(chunk, ...rest);
      const text = typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : chunk;
      return write(typeof text === "string" ? outputRedactor.text(text) : text, ...rest);
    }) as typeof stream.write;
  }
}
