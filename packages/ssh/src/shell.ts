import os from "node:os";
import type { ShellOptions } from "@fap/core/internal";
import type { ClientChannel, PseudoTtyOptions } from "ssh2";
import type { Connection } from "./connection.js";

interface TtyIn extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  isRaw?: boolean;
}

interface TtyOut extends NodeJS.WritableStream {
  isTTY?: boolean;
  rows?: number;
  columns?: number;
  on(event: "resize", listener: () => void): this;
  on(event: string | symbol, listener: (...args: unknown[]) => void): this;
  off(event: string | symbol, listener: (...args: unknown[]) => void): this;
}

/**
 * Interactive session with a PTY, wired to the user's terminal (without a PTY when the input is
 * not a terminal, so its end ends the shell). Resolves with the exit code;
 * a shell killed by a signal gives 128 + its number, as a local shell would report it.
 */
export async function shellOnConnection(connection: Connection, options: ShellOptions): Promise<number> {
  const release = await connection.channels.acquire();
  const stdin = options.stdin as TtyIn;
  const stdout = options.stdout as TtyOut;
  const pty: PseudoTtyOptions = {
    term: process.env["TERM"] ?? "xterm-256color",
    rows: options.rows ?? stdout.rows ?? 24,
    cols: options.columns ?? stdout.columns ?? 80,
  };

  // Listened for as soon as ssh2 hands the channel over: it parses a whole read at once, so a
  // command that ends at once can have its exit and close emitted before this function resumes.
  const ended: { code: number | null; signal?: string; closed: boolean } = { code: null, closed: false };
  let channel: ClientChannel;
  try {
    channel = await new Promise<ClientChannel>((resolve, reject) => {
      const done = (error: Error | undefined, ch: ClientChannel): void => {
        if (error) return reject(error);
        ch.on("exit", (exitCode: number | null, signalName?: string) => Object.assign(ended, { code: exitCode, signal: signalName }));
        ch.once("close", () => (ended.closed = true));
        resolve(ch);
      };
      // Input that is not a terminal (`echo pwd | fap shell`) gets no PTY, as with ssh: a PTY
      // never passes the end of the input on, so the shell would wait for more forever.
      const terminal = options.pty ?? stdin.isTTY === true;
      if (options.command !== undefined) connection.client.exec(options.command, terminal ? { pty } : {}, done);
      else connection.client.shell(terminal ? pty : false, done);
    });
  } catch (error) {
    release();
    throw error;
  }

  const wasRaw = stdin.isRaw ?? false;
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === "function";
  if (raw) stdin.setRawMode?.(true);
  const onResize = (): void => {
    channel.setWindow(stdout.rows ?? pty.rows ?? 24, stdout.columns ?? pty.cols ?? 80, 0, 0);
  };
  if (stdout.isTTY && options.rows === undefined) stdout.on("resize", onResize);

  stdin.pipe(channel);
  channel.pipe(stdout, { end: false });
  channel.stderr.pipe(stdout, { end: false });

  return new Promise<number>((resolve) => {
    const stopLost = connection.onLost(() => finish());
    // Closed already: finish on the next turn, once the output ssh2 had buffered has flowed to stdout.
    if (ended.closed) setImmediate(finish);
    else channel.once("close", finish);

    let finished = false;
    function finish(): void {
      if (finished) return;
      finished = true;
      stopLost();
      stdin.unpipe(channel);
      if (raw) stdin.setRawMode?.(wasRaw);
      // pipe() resumed stdin; left flowing it would keep the process alive after the shell.
      stdin.pause();
      if (stdout.isTTY) stdout.off("resize", onResize);
      release();
      if (ended.code !== null) return resolve(ended.code);
      const number = ended.signal ? os.constants.signals[ended.signal as keyof typeof os.constants.signals] : undefined;
      resolve(number === undefined ? 255 : 128 + number);
    }
  });
}
