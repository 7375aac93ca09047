import { posix } from "node:path";
import { sh } from "@fap/core";
import { ctlFunction, die, EXIT, reportFunctions } from "./_script.js";

export type ProgramAction = "restart" | "refresh" | "none";

export interface ProgramCommandInput {
  ctl: string[];
  program: string;
  /** What `supervisorctl update` takes: the program's group. */
  group: string;
  /** Point `target` at `source` first (deploy, rollback). */
  link: { source: string; target: string } | undefined;
  action: ProgramAction;
  /** Wait for RUNNING, at most this many seconds; undefined: trust supervisorctl's answer. */
  checkTimeout: number | undefined;
}

// RUNNING: up for startsecs. STARTING / STOPPING: not decided yet. Anything else (BACKOFF, FATAL,
// EXITED, STOPPED, UNKNOWN, an ERROR line) is a failure, and so is no line at all.
const VERDICT_AWK =
  `NF == 0 { next } $2 == "RUNNING" { up++; next } $2 == "STARTING" || $2 == "STOPPING" { wait++; next } { bad++ } ` +
  `END { print (bad || !(up + wait)) ? "bad" : wait ? "wait" : "ok" }`;

/**
 * One round trip: links the release's conf where supervisord includes it (a new symlink renamed
 * over the old one, so supervisord never reads a missing file), then restarts the program — or,
 * with refresh, stops it, rereads the confs, updates its group and starts it — and, with a
 * check, polls `supervisorctl status` until every process is RUNNING, failing at once on
 * anything else. A restart of a program supervisord does not know yet (a first deploy) adds it.
 */
export function programCommand(input: ProgramCommandInput): string {
  const { program, group } = input;
  const lines = [ctlFunction(input.ctl), ...reportFunctions(program)];
  if (input.link !== undefined) {
    const { source, target } = input.link;
    const dir = posix.dirname(target);
    const temporary = `${dir}/.${target.slice(dir.length + 1)}.fap-tmp`;
    lines.push(
      sh`test -d ${dir} || ` + die(`${dir} is not a directory`, EXIT.TARGET_DIR_MISSING),
      sh`test -f ${source} || ` + die(`${source} does not exist`, EXIT.CONF_MISSING),
      sh`{ rm -f ${temporary} && ln -s ${source} ${temporary} && mv -T ${temporary} ${target}; } || exit ${EXIT.LINK_FAILED}`,
    );
  }
  if (input.action === "restart") {
    // `update` starts a program it adds. A crashing one is still starting at the `start` after
    // it ("already started") or given up on ("spawn error"), by chance: with a check, the
    // check says what became of it, the same either way.
    const start = input.checkTimeout === undefined ? sh`ctl start ${program}` : sh`{ ctl start ${program} || true; }`;
    lines.push(
      sh`out=$(ctl restart ${program} 2>&1); rc=$?`,
      `printf '%s\\n' "$out"`,
      `case $out in`,
      `  *"no such process"*|*"no such group"*)`,
      sh`    { ctl reread && ctl update ${group} && ` + start + sh`; } || fail ${EXIT.ACTION_FAILED} ;;`,
      `  *) test "$rc" -eq 0 || fail ${EXIT.ACTION_FAILED} ;;`,
      "esac",
    );
  } else if (input.action === "refresh") {
    lines.push(
      sh`ctl stop ${program}`,
      sh`{ ctl reread && ctl update ${group} && ctl start ${program}; } || fail ${EXIT.ACTION_FAILED}`,
    );
  }
  if (input.checkTimeout !== undefined) {
    lines.push(
      sh`deadline=$(( $(date +%s) + ${Math.ceil(input.checkTimeout)} ))`,
      "while :; do",
      sh`  status=$(ctl status ${program} 2>&1)`,
      sh`  verdict=$(printf '%s\\n' "$status" | awk ${VERDICT_AWK})`,
      `  test "$verdict" = wait || break`,
      `  if test "$(date +%s)" -ge "$deadline"; then verdict=timeout; break; fi`,
      "  sleep 0.2",
      "done",
      `case $verdict in ok) report ;; timeout) fail ${EXIT.TIMEOUT} ;; *) fail ${EXIT.NOT_RUNNING} ;; esac`,
    );
  }
  return lines.join("\n");
}
