import { posix } from "node:path";
import { sh } from "@fap/core";
import { ctlFunction, die, EXIT } from "./_script.js";

export interface StartedCommandInput {
  ctl: string[];
  /** supervisor_target, when a conf is linked: its directory must exist. */
  target: string | undefined;
}

/**
 * One round trip before the release is built: supervisord answers supervisorctl, and the
 * directory of supervisor_target exists. A host that cannot restart the app stops the
 * deploy before anything is written.
 */
export function startedCommand({ ctl, target }: StartedCommandInput): string {
  const lines = [
    ctlFunction(ctl),
    `out=$(ctl pid 2>&1) || { printf '%s\\n' "$out" >&2; exit ${EXIT.UNREACHABLE}; }`,
  ];
  if (target !== undefined) {
    const dir = posix.dirname(target);
    lines.push(sh`test -d ${dir} || ` + die(`${dir} is not a directory`, EXIT.TARGET_DIR_MISSING));
  }
  return lines.join("\n");
}
