import { formatError, isFapError } from "@fap/core/internal";
import { outputRedactor } from "./redaction.js";
import { colours } from "./style.js";

/** Exit codes: 2 for what the user wrote or typed, 130/143 for signals, 1 for a failed run. */
export function exitCodeFor(error: unknown): number {
  if (!isFapError(error)) return 1;
  if (error.code === "E_INTERRUPTED") return Number(error.details.exitCode ?? 130);
  return error.isUserError ? 2 : 1;
}

/** One line saying what is wrong, one saying how to fix it; the stack only with --debug. */
export function printError(thrown: unknown, debug: boolean, err: NodeJS.WriteStream = process.stderr): void {
  const c = colours(err);
  // Message, hint, stacks and causes: the secrets of this run go first (see redaction.ts).
  const error = outputRedactor.error(thrown);
  const fapError = isFapError(error) ? error : undefined;
  // Where it happened ([plugin] hook: host:) is put in front here, from the error's fields.
  err.write(`${c.red("error:")} ${formatError(error)}\n`);
  if (fapError?.hint) err.write(`${c.dim("hint:")} ${fapError.hint}\n`);
  if (debug) {
    let current: unknown = error;
    while (current instanceof Error) {
      err.write(`${current.stack ?? current.message}\n`);
      current = current.cause;
      if (current) err.write("caused by: ");
    }
  } else if (!fapError) {
    err.write(`${c.dim("hint:")} this is a bug in fap or a plugin; run again with --debug for the stack\n`);
  }
}
