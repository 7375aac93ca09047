import { sh } from "@fap/core";
import { ctlFunction } from "./_script.js";

/** `supervisorctl status PROGRAM`; exits 3 when a process is not running, 4 when supervisord knows no such program. */
export function statusCommand(ctl: readonly string[], program: string): string {
  return [ctlFunction(ctl), sh`ctl status ${program}`].join("\n");
}

/** `supervisorctl stop PROGRAM`, and with `unlink`, removes the conf link so that supervisord forgets it on its next update. */
export function stopCommand(ctl: readonly string[], program: string, unlink?: string): string {
  const lines = [ctlFunction(ctl), sh`ctl stop ${program}`];
  if (unlink !== undefined) lines.push(sh`rm -f ${unlink}`);
  return lines.join("\n");
}

/** Where `current` points (to read which release is live after a failed run): core's, which puts the program back. */
export { liveReleaseCommand } from "@fap/core/internal";
