import { FapError, KEPT_OUTPUT_BYTES, type ExecOptions, type ExecResult } from "@fap/core/internal";
import type { ClientChannel } from "ssh2";
import type { Connection } from "./connection.js";
import { LineSplitter } from "./line-splitter.js";
import { OutputTail } from "./output-tail.js";
import { killGroupCommand, PidReportFilter, withPidReport } from "./pid-marker.js";

/** Runs one command on its own channel of `connection`. See Remote.exec for the contract. */
export function execOnConnection(
  connection: Connection,
  label: string,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let release: (() => void) | undefined;
    // Only the tails are kept: a command printing gigabytes must not take fap's memory with it.
    const keep = options.keepBytes ?? KEPT_OUTPUT_BYTES;
    const stdout = new OutputTail(keep);
    const stderr = new OutputTail(keep);
    let current: ClientChannel | undefined;
    // Set when the timeout fired: whatever ends the channel after that, the command timed out.
    let timedOut: FapError | undefined;
    // A throwing line callback must fail this command, not crash the process from inside ssh2.
    const guarded = (callback: (line: string) => void) => (line: string) => {
      if (settled) return;
      try {
        callback(line);
      } catch (error) {
        if (current) void killChannel(connection, current, undefined);
        settle(() => reject(error));
      }
    };
    const outLines = options.onStdout ? new LineSplitter(guarded(options.onStdout)) : undefined;
    const errLines = options.onStderr ? new LineSplitter(guarded(options.onStderr)) : undefined;
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
      settle(() => reject(timedOut ?? lostError(label, command, cause, closedByUs)));
    });

    const open = async (): Promise<void> => {
      const slot = await connection.channels.acquire();
      // The connection may have died while we queued; the slot goes straight back.
      if (settled) return slot();
      release = slot;
      const timed = timeoutMs !== undefined;
      connection.client.exec(timed ? withPidReport(command) : command, (error, channel) => {
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
        run(channel, slot, timed);
      });
    };

    const run = (channel: ClientChannel, slot: () => void, timed: boolean): void => {
      let exitCode: number | null = null;
      let signal: string | undefined;
      const onStderr = (chunk: Buffer): void => {
        stderr.push(chunk);
        errLines?.push(chunk);
      };
      const pidReport = timed ? new PidReportFilter(onStderr) : undefined;

      current = channel;
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          timedOut = new FapError("E_COMMAND_TIMEOUT", `\`${short(command)}\` timed out after ${timeoutMs} ms`, {
            host: label,
            details: { command, timeoutMs },
          });
          const error = timedOut;
          // Settled once the kill has landed: a run going on at once could close the connection
          // before sshd ran the kill, and the command would live on, on the host.
          void killChannel(connection, channel, pidReport?.pid).then(() => settle(() => reject(error)));
        }, timeoutMs);
      }

      channel.on("data", (chunk: Buffer) => {
        stdout.push(chunk);
        outLines?.push(chunk);
      });
      channel.stderr.on("data", (chunk: Buffer) => (pidReport ? pidReport.push(chunk) : onStderr(chunk)));
      channel.on("exit", (code: number | null, signalName?: string) => {
        exitCode = code;
        signal = signalName?.replace(/^SIG/, "");
      });
      channel.on("close", () => {
        slot();
        if (settled || timedOut) return;
        pidReport?.flush();
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
      // Always end stdin: a command reading it (cat, read) would otherwise wait forever.
      if (isStream(options.stdin)) pipeStdin(options.stdin, channel);
      else if (options.stdin !== undefined) channel.end(options.stdin);
      else channel.end();
    };

    open().catch((error: unknown) => {
      release?.();
      settle(() =>
        reject(
          connection.isLost
            ? lostError(label, command, error as Error, false)
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

function isStream(stdin: ExecOptions["stdin"]): stdin is NodeJS.ReadableStream {
  return typeof stdin === "object" && stdin !== null && typeof (stdin as NodeJS.ReadableStream).pipe === "function";
}

/**
 * Pipes `source` into the channel (pipe() ends it at the source's end). A source destroyed
 * before its end closes the channel instead: the command (tar) must see a cut connection,
 * not an end of input it would take for the whole of it.
 */
function pipeStdin(source: NodeJS.ReadableStream, channel: ClientChannel): void {
  let ended = false;
  source.once("end", () => (ended = true));
  const cut = () => {
    if (ended) return;
    source.unpipe(channel);
    channel.close();
  };
  source.once("error", cut);
  source.once("close", cut);
  source.pipe(channel);
}

/**
 * Kills the command's processes, then drops the channel; resolves once the kill has run (or
 * after KILL_WAIT_MS). The "signal" request works for non-root users; for root sshd refuses
 * it, so the reported process group is killed over a second channel too (see pid-marker.ts).
 * It skips the channel queue: it must not wait behind the commands it is there to end.
 */
function killChannel(connection: Connection, channel: ClientChannel, pid: number | undefined): Promise<void> {
  try {
    // channel.signal() sends nothing once stdin is ended, which it always is here. ssh2 has no
    // public way to send a signal request then, so its protocol object is used directly.
    const internals = channel as unknown as {
      outgoing?: { id: number; state: string };
      _client?: { _protocol?: { signal(id: number, name: string): void } };
    };
    const state = internals.outgoing?.state;
    if ((state === "open" || state === "eof") && internals.outgoing) {
      internals._client?._protocol?.signal(internals.outgoing.id, "KILL");
    }
  } catch {
    // The group kill and the close below remain.
  }
  const killed =
    pid !== undefined && Number.isInteger(pid) && pid > 1
      ? new Promise<void>((done) => {
          const bound = setTimeout(done, KILL_WAIT_MS);
          const finish = () => {
            clearTimeout(bound);
            done();
          };
          connection.client.exec(killGroupCommand(pid), (error, killer) => {
            if (error) return finish();
            killer.on("close", finish);
            killer.resume();
            killer.stderr.resume();
            killer.end();
          });
        })
      : Promise.resolve();
  try {
    channel.close();
  } catch {
    // Already closed.
  }
  return killed;
}

/** How long a timed-out command's kill is waited for before the timeout is reported anyway. */
const KILL_WAIT_MS = 5000;

function lostError(label: string, command: string, cause: Error | undefined, closedByUs: boolean): FapError {
  const what = closedByUs ? "connection closed" : "connection lost";
  return new FapError("E_CONNECTION_LOST", `${what} while running \`${short(command)}\``, {
    host: label,
    cause,
    hint: closedByUs ? undefined : cause ? `ssh said: ${cause.message}` : "the server closed the connection (sshd restarted or killed, network down?)",
    details: { command },
  });
}

/** Commands can be whole scripts; a message shows one line of at most 200 characters of it. */
export function short(command: string): string {
  const head = command.length > 200 ? `${command.slice(0, 200)}…` : command;
  return head.replace(/\r?\n/g, "\\n");
}
