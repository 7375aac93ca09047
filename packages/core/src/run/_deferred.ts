import { quote } from "../shell/quote.js";

/** Printed on stderr when a deferred command fails, with its index; never shown to the user. */
const FAILED_MARK = "::fap::deferred-failed:";

interface Deferred {
  command: string;
  /** What the user may see of it (secrets redacted). */
  shown: string;
  /** Where it was deferred from, for its error message. */
  phase: string | undefined;
  plugin: string | undefined;
}

/**
 * A host's commands sent with `defer: true`: each waits for the host's next command and goes in
 * front of it, in its own subshell, so it costs no round trip of its own. Only for commands
 * whose output nobody reads.
 */
export class DeferredCommands {
  private queue: Deferred[] = [];

  add(deferred: Deferred): void {
    this.queue.push(deferred);
  }

  get size(): number {
    return this.queue.length;
  }

  /** Takes every waiting command: the script to put in front of the next one, and how to read its failure. */
  take(): { prefix: string; failure: (stderr: string) => { deferred: Deferred; stderr: string } | undefined } | undefined {
    if (this.queue.length === 0) return undefined;
    const taken = this.queue;
    this.queue = [];
    const prefix = taken
      .map((d, i) => `(${d.command}\n) || { s=$?; printf '%s\\n' ${quote(FAILED_MARK + i)} >&2; exit $s; }\n`)
      .join("");
    const failure = (stderr: string) => {
      const lines = stderr.split("\n");
      const at = lines.findIndex((line) => line.startsWith(FAILED_MARK));
      if (at < 0) return undefined;
      const deferred = taken[Number(lines[at]!.slice(FAILED_MARK.length))]!;
      return { deferred, stderr: lines.slice(0, at).join("\n") };
    };
    return { prefix, failure };
  }

  /** Forgets what waits: a failed run's clean-up makes it moot. */
  drop(): void {
    this.queue = [];
  }
}

/** Whether a line of stderr is fap's own marker, not the command's output. */
export function isDeferredMark(line: string): boolean {
  return line.startsWith(FAILED_MARK);
}
