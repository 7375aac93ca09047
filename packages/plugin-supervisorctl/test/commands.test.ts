import { describe, expect, it } from "vitest";
import { programCommand, type ProgramCommandInput } from "../src/program-command.js";
import { startedCommand } from "../src/check-supervisor-command.js";
import { updatedCommand } from "../src/check-conf-command.js";
import { liveReleaseCommand, statusCommand, stopCommand } from "../src/task-commands.js";

const CTL = ["supervisorctl", "-c", "/srv/supervisor/supervisord.conf"];
const CTL_FN = `ctl() { supervisorctl -c /srv/supervisor/supervisord.conf "$@"; }`;
const REPORT = [
  "status=",
  `report() { test -n "$status" || status=$(ctl status app 2>&1); printf '%s\\n' ::fap-supervisorctl::status "$status"; }`,
  "fail() {",
  "  report",
  `  for p in $(printf '%s\\n' "$status" | awk 'NF > 1 && $2 != "RUNNING" && $2 != "ERROR" { print $1 }'); do`,
  `    printf '%s\\n' '::fap-supervisorctl::log '"$p"`,
  `    log=$(ctl tail -1600 "$p" stderr 2>&1) || log=$(ctl tail -1600 "$p" 2>&1) || true`,
  `    printf '%s\\n' "$log"`,
  "  done",
  `  exit "$1"`,
  "}",
];
const REL = "/srv/www/app/releases/240101-120000";
const LINK = [
  "test -d /etc/supervisor/conf.d || { printf '%s\\n' '/etc/supervisor/conf.d is not a directory' >&2; exit 10; }",
  `test -f ${REL}/configs/supervisor_production_web.conf || { printf '%s\\n' '${REL}/configs/supervisor_production_web.conf does not exist' >&2; exit 11; }`,
  "{ rm -f /etc/supervisor/conf.d/.app.conf.fap-tmp && " +
    `ln -s ${REL}/configs/supervisor_production_web.conf /etc/supervisor/conf.d/.app.conf.fap-tmp && ` +
    "mv -T /etc/supervisor/conf.d/.app.conf.fap-tmp /etc/supervisor/conf.d/app.conf; } || exit 16",
];
const RESTART = [
  `out=$(ctl restart app 2>&1); rc=$?`,
  `printf '%s\\n' "$out"`,
  "case $out in",
  `  *"no such process"*|*"no such group"*)`,
  "    { ctl reread && ctl update app && ctl start app; } || fail 13 ;;",
  `  *) test "$rc" -eq 0 || fail 13 ;;`,
  "esac",
];
const CHECK = [
  "deadline=$(( $(date +%s) + 30 ))",
  "while :; do",
  "  status=$(ctl status app 2>&1)",
  `  verdict=$(printf '%s\\n' "$status" | awk 'NF == 0 { next } $2 == "RUNNING" { up++; next } ` +
    `$2 == "STARTING" || $2 == "STOPPING" { wait++; next } { bad++ } END { print (bad || !(up + wait)) ? "bad" : wait ? "wait" : "ok" }')`,
  `  test "$verdict" = wait || break`,
  `  if test "$(date +%s)" -ge "$deadline"; then verdict=timeout; break; fi`,
  "  sleep 0.2",
  "done",
  "case $verdict in ok) report ;; timeout) fail 15 ;; *) fail 14 ;; esac",
];

const base: ProgramCommandInput = {
  ctl: CTL,
  program: "app",
  group: "app",
  link: { source: `${REL}/configs/supervisor_production_web.conf`, target: "/etc/supervisor/conf.d/app.conf" },
  action: "restart",
  checkTimeout: undefined,
};

describe("programCommand", () => {
  it("links the new release's conf, then restarts the program (Fapistrano's supervisorctl restart)", () => {
    expect(programCommand(base)).toBe([CTL_FN, ...REPORT, ...LINK, ...RESTART].join("\n"));
  });

  it("refreshes like Fapistrano: stop, reread, update (the program's group), start", () => {
    expect(programCommand({ ...base, action: "refresh" }).split("\n").slice(1 + REPORT.length + LINK.length)).toEqual([
      "ctl stop app",
      "{ ctl reread && ctl update app && ctl start app; } || fail 13",
    ]);
  });

  it("waits for RUNNING with check_status, bounded by the timeout; the check, not start, judges a program update added", () => {
    const restart = RESTART.map((line) => line.replace("ctl start app;", "{ ctl start app || true; };"));
    expect(programCommand({ ...base, checkTimeout: 30 })).toBe([CTL_FN, ...REPORT, ...LINK, ...restart, ...CHECK].join("\n"));
  });

  it("only restarts in the restart flow, and only links with supervisor_restart: false", () => {
    expect(programCommand({ ...base, link: undefined })).toBe([CTL_FN, ...REPORT, ...RESTART].join("\n"));
    expect(programCommand({ ...base, action: "none" })).toBe([CTL_FN, ...REPORT, ...LINK].join("\n"));
  });

  it("updates the group of a group:* program", () => {
    const command = programCommand({ ...base, program: "web:*", group: "web", link: undefined, action: "refresh" });
    expect(command.split("\n").slice(-2)).toEqual(["ctl stop 'web:*'", "{ ctl reread && ctl update web && ctl start 'web:*'; } || fail 13"]);
  });

  it("quotes every value", () => {
    const command = programCommand({
      ...base,
      ctl: ["sudo", "-n", "supervisorctl", "-s", "unix:///run/my app.sock"],
      program: "$(touch /tmp/x)",
      group: "$(touch /tmp/x)",
      link: { source: "/srv/it's/app.conf", target: "/etc/supervisor/conf.d/;id.conf" },
    });
    expect(command).toContain(`ctl() { sudo -n supervisorctl -s 'unix:///run/my app.sock' "$@"; }`);
    expect(command).toContain(`out=$(ctl restart '$(touch /tmp/x)' 2>&1); rc=$?`);
    expect(command).toContain(`ln -s '/srv/it'\\''s/app.conf' '/etc/supervisor/conf.d/.;id.conf.fap-tmp'`);
  });
});

describe("startedCommand / updatedCommand", () => {
  it("asks supervisord for its pid and checks supervisor_target's directory", () => {
    expect(startedCommand({ ctl: CTL, target: "/srv/supervisor/conf.d/app.conf" })).toBe(
      [
        CTL_FN,
        `out=$(ctl pid 2>&1) || { printf '%s\\n' "$out" >&2; exit 12; }`,
        "test -d /srv/supervisor/conf.d || { printf '%s\\n' '/srv/supervisor/conf.d is not a directory' >&2; exit 10; }",
      ].join("\n"),
    );
    expect(startedCommand({ ctl: CTL, target: undefined })).toBe(
      [CTL_FN, `out=$(ctl pid 2>&1) || { printf '%s\\n' "$out" >&2; exit 12; }`].join("\n"),
    );
  });

  it("checks the conf is in the release", () => {
    expect(updatedCommand(`${REL}/configs/web.conf`)).toBe(
      `test -f ${REL}/configs/web.conf || { printf '%s\\n' '${REL}/configs/web.conf does not exist' >&2; exit 11; }`,
    );
  });
});

describe("task commands", () => {
  it.each([
    [statusCommand(CTL, "app"), `${CTL_FN}\nctl status app`],
    [stopCommand(CTL, "web:*"), `${CTL_FN}\nctl stop 'web:*'`],
    [stopCommand(CTL, "app", "/etc/supervisor/conf.d/app.conf"), `${CTL_FN}\nctl stop app\nrm -f /etc/supervisor/conf.d/app.conf`],
    [liveReleaseCommand("/srv/www/my app/current"), "readlink '/srv/www/my app/current' || true"],
  ])("%s", (command, expected) => {
    expect(command).toBe(expected);
  });
});
