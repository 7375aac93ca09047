import { createEvents, FapError } from "@fap/core/internal";
import { describe, expect, it } from "vitest";
import { attachHumanReporter, type Output } from "../src/human-reporter.js";
import { attachJsonReporter } from "../src/json-reporter.js";
import { colours } from "../src/style.js";
import { summaryTable } from "../src/summary-table.js";

function sink(isTTY = false): Output & { text: string } {
  return {
    isTTY,
    columns: 60,
    text: "",
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

/** A deploy-like run on two hosts: starting, then updating where host2 is slow and fails. */
function play(events: ReturnType<typeof createEvents>) {
  events.emit("phase", { flow: "deploy", phase: "starting", state: "start", hosts: 2 });
  for (const host of ["host1", "host2"]) {
    events.emit("host-phase", { flow: "deploy", phase: "starting", host, role: "web", state: "start" });
    events.emit("command", { host, command: "mkdir -p /srv/app", phase: "starting", plugin: "fap:core" });
    events.emit("host-phase", { flow: "deploy", phase: "starting", host, role: "web", state: "end", ok: true, durationMs: 40 });
  }
  events.emit("phase", { flow: "deploy", phase: "starting", state: "end", durationMs: 41, hosts: 2 });
  events.emit("phase", { flow: "deploy", phase: "started", state: "start", hosts: 2 });
  events.emit("phase", { flow: "deploy", phase: "started", state: "end", durationMs: 0, hosts: 2 });
  events.emit("phase", { flow: "deploy", phase: "updating", state: "start", hosts: 2 });
  events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host1", role: "web", state: "start" });
  events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host2", role: "web", state: "start" });
  events.emit("output", { host: "host1", stream: "stdout", line: "fetched", phase: "updating" });
  events.emit("output", { host: "host1", stream: "stdout", line: "plugin reads this", quiet: true, phase: "updating" });
  events.emit("command", { host: "host2", command: "git fetch", phase: "updating", plugin: "fap:git" });
  events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host1", role: "web", state: "end", ok: true, durationMs: 1250 });
  events.emit("log", { host: "host2", level: "warn", message: "slow" });
  events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host2", role: "web", state: "end", ok: false, durationMs: 3000 });
  events.emit("phase", { flow: "deploy", phase: "updating", state: "end", durationMs: 3001, hosts: 2 });
  events.emit("host-result", { host: "host1", role: "web", release: "240102-030405", revision: "0123456789abcdef", ok: true });
  events.emit("host-result", { host: "host2", role: "web", release: "240102-030405", ok: false, phase: "updating", error: "boom" });
}

describe("human reporter", () => {
  it("prints banners, host-prefixed output and a summary with each host's seconds per phase that did work", () => {
    const events = createEvents();
    const out = sink();
    const reporter = attachHumanReporter(events, { out, verbose: false, dryRun: false });
    play(events);
    reporter.summary("deploy abc: failed");
    expect(out.text).toBe(
      [
        "▸ starting (2 hosts)",
        "▸ started (2 hosts)",
        "▸ updating (2 hosts)",
        "host1 | fetched",
        "host2 | warning: slow",
        "",
        "deploy abc: failed",
        "host   release        result              revision      starting  updating  total",
        "host1  240102-030405  ok                  0123456789ab  0.04s     1.25s     1.29s",
        "host2  240102-030405  failed in updating  -             0.04s     3.00s     3.04s",
        "starting 0.04s · started 0.00s · updating 3.00s",
        "",
      ].join("\n"),
    );
  });

  it("-q: only warnings and the summary; -v: commands and quiet output too", () => {
    const quiet = sink();
    const events = createEvents();
    const reporter = attachHumanReporter(events, { out: quiet, verbose: false, dryRun: false, quiet: true });
    play(events);
    reporter.line("fap deploy production");
    reporter.summary("deploy: failed");
    expect(quiet.text.split("\n").slice(0, 2)).toEqual(["host2 | warning: slow", "deploy: failed"]);
    expect(quiet.text.split("\n")).toHaveLength(7);

    const verbose = sink();
    const again = createEvents();
    attachHumanReporter(again, { out: verbose, verbose: true, dryRun: false });
    play(again);
    expect(verbose.text).toContain("host2 | $ git fetch\n");
    expect(verbose.text).toContain("host1 | plugin reads this\n");
  });

  it("on a TTY, keeps a status line of the hosts still working, rewritten in place", () => {
    const out = sink(true);
    const events = createEvents();
    // Its own env: the caller's NO_COLOR or TERM=dumb must not change what is expected here.
    attachHumanReporter(events, { out, verbose: false, dryRun: false, live: true, env: {} });
    events.emit("phase", { flow: "deploy", phase: "updating", state: "start", hosts: 2 });
    events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host1", state: "start" });
    events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host2", state: "start" });
    expect(out.text).toMatch(/… updating: waiting for host1, host2 \(0\/2 done, \d\.\ds\)(\x1b\[22m)?$/);
    events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host1", state: "end", ok: true, durationMs: 5 });
    expect(out.text).toMatch(/\r\x1b\[K(\x1b\[2m)?… updating: waiting for host2 \(1\/2 done, \d\.\ds\)(\x1b\[22m)?$/);
    events.emit("output", { host: "host2", stream: "stdout", line: "done soon", phase: "updating" });
    // A line clears the status, is printed, and the status comes back below it.
    expect(out.text).toMatch(/\r\x1b\[K\x1b\[36mhost2\x1b\[39m\x1b\[2m \| \x1b\[22mdone soon\n(\x1b\[2m)?… updating: waiting for host2/);
    events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host2", state: "end", ok: true, durationMs: 5 });
    events.emit("phase", { flow: "deploy", phase: "updating", state: "end", durationMs: 6, hosts: 2 });
    expect(out.text.endsWith("\r\x1b[K")).toBe(true);
  });

  it("on a TTY with NO_COLOR set, writes no colour (but still rewrites its status line)", () => {
    const out = sink(true);
    const events = createEvents();
    attachHumanReporter(events, { out, verbose: false, dryRun: false, live: true, env: { NO_COLOR: "1" } });
    events.emit("phase", { flow: "deploy", phase: "updating", state: "start", hosts: 1 });
    events.emit("host-phase", { flow: "deploy", phase: "updating", host: "host1", state: "start" });
    events.emit("output", { host: "host1", stream: "stdout", line: "plain", phase: "updating" });
    expect(out.text).toContain("\r\x1b[Khost1 | plain\n… updating: waiting for host1");
    expect(out.text.replaceAll("\r\x1b[K", "")).not.toContain("\x1b[");
  });

  it("groups each phase for GitHub Actions", () => {
    const out = sink();
    const events = createEvents();
    attachHumanReporter(events, { out, verbose: false, dryRun: false, githubGroups: true });
    events.emit("phase", { flow: "deploy", phase: "building", state: "start", hosts: 0 });
    events.emit("phase", { flow: "deploy", phase: "building", state: "end", durationMs: 1, hosts: 0 });
    expect(out.text).toBe("::group::building (locally)\n▸ building (locally)\n::endgroup::\n");
  });
});

describe("summary table", () => {
  it("adds a role column only when a host serves several roles", () => {
    const c = colours({ isTTY: false });
    const lines = summaryTable(
      {
        results: [
          { host: "h", role: "web", ok: true },
          { host: "h", role: "worker", ok: true },
        ],
        phases: [],
        worked: new Set(),
      },
      c,
    );
    expect(lines).toEqual(["host  role    result", "h     web     ok", "h     worker  ok"]);
  });
});

describe("json reporter", () => {
  it("writes each event as one line with type, time, deploy id and flow, first and last a run event", () => {
    const out = sink();
    const events = createEvents();
    let tick = Date.UTC(2024, 0, 2, 3, 4, 5);
    const json = attachJsonReporter(events, { out, deployId: "abcd1234", flow: "deploy", now: () => new Date((tick += 10)), redact: (t) => t.replace("s3cret", "***") });
    json.start({ stage: "production", role: undefined, dryRun: false, version: "0.1.0" });
    play(events);
    const error = new FapError("E_COMMAND_FAILED", "deploy failed on 1 host", {
      hint: "no host was switched",
      details: { failures: [{ host: "host2", phase: "updating", code: "E_COMMAND_FAILED", message: "token s3cret leaked" }] },
    });
    json.end(error);
    const lines = out.text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ type: "run", time: "2024-01-02T03:04:05.020Z", deploy: "abcd1234", flow: "deploy", state: "start", stage: "production", role: null, dryRun: false, fap: "0.1.0" });
    expect(lines[1]).toMatchObject({ type: "phase", deploy: "abcd1234", flow: "deploy", phase: "starting", state: "start", hosts: 2 });
    expect(lines).toContainEqual(expect.objectContaining({ type: "command", host: "host2", command: "git fetch", phase: "updating", plugin: "fap:git" }));
    expect(lines.at(-1)).toEqual({
      type: "run",
      time: expect.any(String),
      deploy: "abcd1234",
      flow: "deploy",
      state: "end",
      ok: false,
      durationMs: expect.any(Number),
      error: {
        code: "E_COMMAND_FAILED",
        message: "deploy failed on 1 host",
        hint: "no host was switched",
        failures: [{ host: "host2", phase: "updating", code: "E_COMMAND_FAILED", message: "token *** leaked" }],
      },
    });
  });
});
