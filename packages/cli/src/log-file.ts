import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { FapError } from "@fap/core";
import type { Output } from "./human-reporter.js";
import { outputRedactor } from "./redaction.js";

/**
 * `--log FILE`: the human-readable log, appended. Written synchronously, line by line, so
 * what was logged is on disk even if fap is killed. Like stdout and stderr, it goes through
 * the run's redactor.
 */
export function logFile(file: string): Output {
  const target = path.resolve(file);
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    appendFileSync(target, "");
  } catch (error) {
    throw new FapError("E_USAGE", `--log ${file}: cannot write: ${(error as Error).message}`, { hint: "give a file in a writable folder" });
  }
  return {
    isTTY: false,
    write(text: string) {
      appendFileSync(target, outputRedactor.text(text));
      return true;
    },
  };
}
