import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { FapError } from "@fap/core/internal";
import type { Output } from "./human-reporter.js";
import { outputRedactor } from "./redaction.js";

/**
 * `--log FILE`: the human-readable log, appended. Written synchronously, line by line, so
 * what was logged is on disk even if fap is killed. Opened once: re-opening a named pipe
 * (`--log >(head)`) whose reader is gone would block for ever. Like stdout and stderr, it goes
 * through the run's redactor.
 */
export function logFile(file: string, warn: (message: string) => void = (m) => process.stderr.write(`warning: ${m}\n`)): Output {
  const target = path.resolve(file);
  let fd: number | undefined;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    fd = openSync(target, "a");
  } catch (error) {
    throw new FapError("E_USAGE", `--log ${file}: cannot write: ${(error as Error).message}`, { hint: "give a file in a writable folder" });
  }
  return {
    isTTY: false,
    write(text: string) {
      if (fd === undefined) return true;
      try {
        writeSync(fd, outputRedactor.text(text));
      } catch (error) {
        // The log must never stop a run half way: a log nobody reads any more (EPIPE) is
        // dropped quietly, one that cannot be written (a full disk) with one warning.
        if ((error as NodeJS.ErrnoException).code !== "EPIPE") warn(`--log ${file}: cannot write (${(error as Error).message}); the rest of this run is not logged`);
        closeSync(fd);
        fd = undefined;
      }
      return true;
    },
  };
}
