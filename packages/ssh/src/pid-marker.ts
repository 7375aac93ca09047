import { randomBytes } from "node:crypto";
import { sh } from "@fap/core/internal";

/**
 * sshd refuses "signal" requests for root sessions (it logs "session signalling requires
 * privilege separation", as root logins skip privsep), so a timed-out command cannot be killed
 * through the channel. Instead such a command first reports its session's process group on
 * stderr (sshd makes every session a new process group led by the shell, so that is `$$`), and
 * fap kills the group over a second channel. The report line is removed from stderr again.
 */
const TOKEN = `fap-pid-${randomBytes(6).toString("hex")}:`;

/** Stderr held back while waiting for the report, at most. */
const HOLD_LIMIT = 64 * 1024;

export function withPidReport(command: string): string {
  // A newline, not `;`: the command may start with anything, even a comment.
  return `printf '${TOKEN}%s\\n' "$$" >&2\n${command}`;
}

/**
 * Kills the group `pid` leads. A command run through sudo (`runAs`) is in that group too, but
 * runs as another user whom the SSH user may not signal: it is killed once more as that user.
 */
export function killGroupCommand(pid: number, runAs?: string): string {
  // `-s KILL --`: dash's kill (sh on Debian, the login shell of many users) reads `-KILL -- -PID` as bad options.
  const kill = `kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid} 2>/dev/null`;
  if (runAs === undefined) return `${kill}; true`;
  return `${kill}; ${sh`sudo -n -u ${runAs} -- sh -c ${kill}`} 2>/dev/null; true`;
}

/**
 * Passes stderr through, minus the report line, and remembers the pid. Until the line is seen,
 * a partial line is held back: login scripts may print to stderr before it.
 */
export class PidReportFilter {
  pid: number | undefined;
  private pending = Buffer.alloc(0);
  private found = false;
  private settle!: (pid: number | undefined) => void;
  /**
   * The pid once reported; undefined when the report will not come (flushed). A kill waits for
   * it: stdout and stderr travel apart, so a stdout line can arrive before the report.
   */
  readonly reported = new Promise<number | undefined>((resolve) => (this.settle = resolve));

  constructor(private readonly forward: (chunk: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.found) return this.forward(chunk);
    this.pending = Buffer.concat([this.pending, chunk]);
    const token = Buffer.from(TOKEN);
    const at = this.pending.indexOf(token);
    if (at === -1) {
      // The report comes first; this much stderr without it means it will not come (and must not pile up).
      if (this.pending.length > HOLD_LIMIT) {
        this.found = true;
        return this.flush();
      }
      // Everything up to the last newline cannot be the start of the report line.
      const cut = this.pending.lastIndexOf(10) + 1;
      if (cut > 0) {
        this.forward(this.pending.subarray(0, cut));
        this.pending = this.pending.subarray(cut);
      }
      return;
    }
    const end = this.pending.indexOf(10, at);
    if (end === -1) return;
    this.pid = Number(this.pending.subarray(at + token.length, end).toString("latin1"));
    this.found = true;
    this.settle(this.pid);
    const before = this.pending.subarray(0, at);
    const after = this.pending.subarray(end + 1);
    this.pending = Buffer.alloc(0);
    if (before.length > 0) this.forward(before);
    if (after.length > 0) this.forward(after);
  }

  /** At the end, whatever is held back was never the report line. */
  flush(): void {
    if (this.pending.length > 0) this.forward(this.pending);
    this.pending = Buffer.alloc(0);
    this.settle(this.pid);
  }
}
