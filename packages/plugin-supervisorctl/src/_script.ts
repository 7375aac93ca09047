import { sh } from "@fap/core";

/** Exit codes of the plugin's commands, read by `failure()`. */
export const EXIT = {
  TARGET_DIR_MISSING: 10,
  CONF_MISSING: 11,
  UNREACHABLE: 12,
  ACTION_FAILED: 13,
  NOT_RUNNING: 14,
  TIMEOUT: 15,
  LINK_FAILED: 16,
} as const;

/** Lines of stdout that start a section: supervisorctl's status, or the log of one process. */
export const MARK = "::fap-supervisorctl::";

/** `ctl ARGS` runs supervisorctl with its -c / -s options; every word quoted once, here. */
export function ctlFunction(ctl: readonly string[]): string {
  return sh`ctl() { ${ctl} "$@"; }`;
}

/**
 * `report` prints the program's last status (asking for it if nobody did yet) after a status
 * mark; `fail CODE` also prints the end of the log of each of its processes that is not
 * RUNNING (stderr, or stdout when stderr goes there), then exits with CODE: the deploy's
 * error can say why the app died. The status that made the check fail is the one reported.
 */
export function reportFunctions(program: string): string[] {
  return [
    "status=",
    sh`report() { test -n "$status" || status=$(ctl status ${program} 2>&1); printf '%s\\n' ${`${MARK}status`} "$status"; }`,
    "fail() {",
    "  report",
    `  for p in $(printf '%s\\n' "$status" | awk 'NF > 1 && $2 != "RUNNING" && $2 != "ERROR" { print $1 }'); do`,
    sh`    printf '%s\\n' ${`${MARK}log `}"$p"`,
    `    log=$(ctl tail -1600 "$p" stderr 2>&1) || log=$(ctl tail -1600 "$p" 2>&1) || true`,
    `    printf '%s\\n' "$log"`,
    "  done",
    `  exit "$1"`,
    "}",
  ];
}

/** Prints a message on stderr and exits with `code`. */
export function die(message: string, code: number): string {
  return sh`{ printf '%s\\n' ${message} >&2; exit ${code}; }`;
}
