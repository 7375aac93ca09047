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
    // The mark follows the failed command's stderr: on a line of its own, or at the end of the
    // command's last line when that did not end in a newline.
    const failure = (stderr: string) => {
      const at = stderr.indexOf(FAILED_MARK);
      if (at < 0) return undefined;
      const deferred = taken[Number.parseInt(stderr.slice(at + FAILED_MARK.length), 10)]!;
      return { deferred, stderr: stderr.slice(0, at) };
    };
    return { prefix, failure };
  }

  /** Forgets what waits: a failed run's clean-up makes it moot. */
  drop(): void {
    this.queue = [];
  }
}

/** A line of stderr without fap's own marker, which may end it; undefined when the marker was all of it. */
export function withoutDeferredMark(line: string): string | undefined {
  const at = line.indexOf(FAILED_MARK);
  if (at < 0) return line;
  return at === 0 ? undefined : line.slice(0, at);
}
