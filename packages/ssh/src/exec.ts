import { FapError, isFapError, KEPT_OUTPUT_BYTES, shorten, type ExecOptions, type ExecResult } from "@fap/core/internal";
import type { ClientChannel } from "ssh2";
import type { Connection } from "./connection.js";
import { agentChannelOptions, agentRefused } from "./agent-forward.js";
import { sendStdin } from "./exec-stdin.js";
import { LineSplitter } from "./line-splitter.js";
import { OutputTail } from "./output-tail.js";
import { killGroupCommand, PidReportFilter, withPidReport } from "./pid-marker.js";

/** Runs one command on its own channel of `connection`. See Remote.exec for the contract. */
export function execOnConnection(
  connection: Connection,
  label: string,
  sent: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  // Messages quote the command as the caller knows it (without the sudo around it, say).
  const command = options.shownAs ?? sent;
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let release: (() => void) | undefined;
    // Only the tails are kept: a command printing gigabytes must not take fap's memory with it.
    const keep = options.keepBytes ?? KEPT_OUTPUT_BYTES;
    const stdout = new OutputTail(keep);
    const stderr = new OutputTail(keep);
    // Set when the command is being killed (timeout, throwing callback): whatever ends the channel after that, this is the outcome.
    let ending: { error: unknown } | undefined;
    const timeoutMs = options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : undefined;

    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      unsubscribe();
      finish();
    };

    const unsubscribe = connection.onLost((cause, closedByUs) => {
      release?.();
      settle(() => reject(ending ? ending.error : lostError(label, command, cause, closedByUs)));
    });

    const open = async (): Promise<void> => {
      const slot = await connection.channels.acquire();
      // The connection may have died while we queued; the slot goes straight back.
      if (settled) return slot();
      release = slot;
      const channelOptions = agentChannelOptions(connection.client, label, options);
      connection.client.exec(withPidReport(sent), channelOptions, (error, channel) => {
        if (error) {
          slot();
          // A dying connection fails channel opens too; its lost listener reports that better.
          if (settled || connection.isLost) return;
          const { active } = connection.channels.size;
          // sshd refuses channels beyond its MaxSessions; learn its limit and queue again.
          if (/open failed/i.test(error.message) && active > 0) {
            connection.channels.lower(active);
            void open();
            return;
          }
          settle(() =>
            reject(
              agentRefused(error, label, command) ??
              new FapError("E_SSH_CONNECT", `cannot open a channel for \`${short(command)}\`: ${error.message}`, {
                host: label,
                cause: error,
                details: { command },
              }),
            ),
          );
          return;
        }
        if (settled) {
          channel.close();
          return;
        }
        run(channel, slot);
      });
    };

    const run = (channel: ClientChannel, slot: () => void): void => {
      let exitCode: number | null = null;
      let signal: string | undefined;
      // A throwing line callback must fail this command, not crash the process from inside ssh2.
      const guarded = (callback: (line: string) => void) => (line: string) => {
        if (settled || ending) return;
        try {
          callback(line);
        } catch (error) {
          ending = { error };
          // Settled once the kill has landed, as for a timeout: the command must not live on.
          void killChannel(connection, channel, report.reported, options.runAs).then(() => settle(() => reject(error)));
        }
      };
      const outLines = options.onStdout ? new LineSplitter(guarded(options.onStdout)) : undefined;
      const errLines = options.onStderr ? new LineSplitter(guarded(options.onStderr)) : undefined;
      const onStderr = (chunk: Buffer): void => {
        stderr.push(chunk);
        errLines?.push(chunk);
      };
      // The session's process group, as the command reported it (see pid-marker.ts): how it is killed.
      const report = new PidReportFilter(onStderr);

      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const error = new FapError("E_COMMAND_TIMEOUT", `\`${short(command)}\` timed out after ${timeoutMs} ms`, {
            host: label,
            details: { command, timeoutMs },
          });
          ending = { error };
          // Settled once the kill has landed: a run going on at once could close the connection
          // before sshd ran the kill, and the command would live on, on the host.
          void killChannel(connection, channel, report.reported, options.runAs).then(() => settle(() => reject(error)));
        }, timeoutMs);
      }

      channel.on("data", (chunk: Buffer) => {
        stdout.push(chunk);
        outLines?.push(chunk);
      });
      channel.stderr.on("data", (chunk: Buffer) => report.push(chunk));
      channel.on("exit", (code: number | null, signalName?: string) => {
        exitCode = code;
        signal = signalName?.replace(/^SIG/, "");
      });
      channel.on("close", () => {
        slot();
        // A kill waiting for the pid report stops waiting: the command is gone.
        if (settled || ending) return report.flush();
        report.flush();
        outLines?.flush();
        errLines?.flush();
        settle(() =>
          resolve({
            stdout: stdout.text(),
            stderr: stderr.text(),
            ...(stdout.dropped > 0 ? { stdoutBytes: stdout.total } : {}),
            ...(stderr.dropped > 0 ? { stderrBytes: stderr.total } : {}),
            exitCode,
            signal,
          }),
        );
      });
      sendStdin(options.stdin, channel);
    };

    // A connection lost by now has failed the command already (its lost listener): this is a
    // refused forward_agent, or a connection whose end has begun ("Not connected").
    open().catch((error: unknown) => {
      release?.();
      settle(() =>
        reject(
          isFapError(error)
            ? error
            : new FapError("E_SSH_CONNECT", `cannot run \`${short(command)}\`: ${(error as Error).message}`, {
                host: label,
                cause: error,
                details: { command },
              }),
        ),
      );
    });
  });
}

/**
 * Kills the command's processes, then drops the channel; resolves once the kill has run (or
 * after KILL_WAIT_MS). The reported process group is killed over a second channel (see
 * pid-marker.ts): ssh's "signal" request cannot do it, as sshd refuses it for root sessions
 * and ssh2 sends it only while stdin is open (ours is always ended at once). A command run
 * through sudo (`runAs`) is killed as that user too: the SSH user may not signal its processes.
 * It skips the channel queue: it must not wait behind the commands it is there to end.
 */
function killChannel(connection: Connection, channel: ClientChannel, reported: Promise<number | undefined> | undefined, runAs: string | undefined): Promise<void> {
  return new Promise<void>((done) => {
    const bound = setTimeout(finish, KILL_WAIT_MS);
    function finish(): void {
      clearTimeout(bound);
      try {
        channel.close();
      } catch {
        // Already closed.
      }
      done();
    }
    // The channel stays open until the kill has run: closing it first could end the report.
    void (reported ?? Promise.resolve(undefined)).then((pid) => {
      if (pid === undefined || !Number.isInteger(pid) || pid <= 1) return finish();
      connection.client.exec(killGroupCommand(pid, runAs), (error, killer) => {
        if (error) return finish();
        killer.on("close", finish);
        killer.resume();
        killer.stderr.resume();
        killer.end();
      });
    });
  });
}

/** How long a timed-out command's kill is waited for before the timeout is reported anyway. */
const KILL_WAIT_MS = 5000;

function lostError(label: string, command: string, cause: Error | undefined, closedByUs: boolean): FapError {
  const what = closedByUs ? "connection closed" : "connection lost";
  return new FapError("E_CONNECTION_LOST", `${what} while running \`${short(command)}\``, {
    host: label,
    cause,
    hint: closedByUs ? undefined : cause && !isServerClose(cause) ? `ssh said: ${cause.message}` : SERVER_CLOSED_HINT,
    details: { command },
  });
}

const SERVER_CLOSED_HINT = "the server closed the connection (sshd restarted or killed, network down?)";

/**
 * A server that goes away ends the socket cleanly or resets it: which one depends on whether
 * bytes were still unread on its side when it died, a race the user cannot see or act on.
 * Both get the same hint; the reset stays in `cause`.
 */
function isServerClose(cause: Error & { code?: string }): boolean {
  return cause.code === "ECONNRESET" || cause.code === "EPIPE";
}

/** Commands can be whole scripts; a message shows one line of at most 200 characters of it. */
export function short(command: string): string {
  return shorten(command, 200).replace(/\r?\n/g, "\\n");
}
