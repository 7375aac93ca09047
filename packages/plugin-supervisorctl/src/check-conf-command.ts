import { sh } from "@fap/core";
import { die, EXIT } from "./_script.js";

/** One round trip once the release's files and shared links are in place: its conf is there. */
export function updatedCommand(source: string): string {
  return sh`test -f ${source} || ` + die(`${source} does not exist`, EXIT.CONF_MISSING);
}
