import { writeFileSync } from "node:fs";
import { FapError } from "@fap/core/internal";
import type { LoggedEvent } from "./events.js";
import { buildModel } from "./model.js";
import { renderReport } from "./render-page.js";

/** Writes the HTML report of one run's events to `file`; a file that cannot be written is a one-line error. */
export function writeReport(file: string, events: readonly LoggedEvent[]): void {
  const html = renderReport(buildModel(events));
  try {
    writeFileSync(file, html);
  } catch (error) {
    throw new FapError("E_USAGE", `cannot write the report ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: "give --report (or -o) a file in a folder that exists and you can write to",
      cause: error,
    });
  }
}
