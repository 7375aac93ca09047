import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runFap, startFap, waitFor } from "../harness.js";
import { hookGate } from "../hook-gate.js";
import { useThreeHosts } from "../three-hosts.js";

const env = useThreeHosts();

/** A report must open offline: nothing it loads may come from elsewhere. */
function expectSelfContained(html: string): void {
  expect(html.startsWith("<!doctype html>")).toBe(true);
  expect(html).not.toMatch(/<link\b|<script[^>]+src=|<img[^>]+src=|url\(|@import|https?:\/\//i);
}

describe("--report and fap report", () => {
  it("writes a report of a 3-host deploy, the same one fap report rebuilds from its --json log, and GitHub's job summary", async () => {
    const dir = await env.project("reported");
    const summaryFile = path.join(dir, "step-summary.md");
    writeFileSync(summaryFile, "");
    const run = await runFap(env.hosts, dir, ["deploy", "-s", "production", "--json", "--report", "run.html"], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile });
    expect(run.code, run.stderr).toBe(0);
    writeFileSync(path.join(dir, "run.ndjson"), run.stdout);
    const html = readFileSync(path.join(dir, "run.html"), "utf8");
    expectSelfContained(html);
    expect(html).toContain("<title>fap deploy reported · production</title>");
    for (const host of ["host1", "host2", "host3"]) expect(html).toContain(`data-host="${host}"`);
    expect(html).toMatch(/<dt>result<\/dt><dd><span class="result-ok">succeeded<\/span> · 3 of 3 ok/);
    expect(html).toContain("echo &#34;"); // the hook's command, escaped, in the hosts' details

    const rebuilt = await runFap(env.hosts, dir, ["report", "run.ndjson", "-o", "again.html"]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    // The same header and hosts, commands and results; timings differ: the two reporters stamp
    // each event a moment apart.
    const shape = (page: string) => [/<header>.*<\/header>/s.exec(page)?.[0], ...page.matchAll(/<details class="host">.*?<\/details>|<td class="result-[^"]+".*?<\/td>/gs)].join("\n").replace(/\d+/g, "0");
    expect(shape(readFileSync(path.join(dir, "again.html"), "utf8"))).toBe(shape(html));

    const summary = readFileSync(summaryFile, "utf8");
    expect(summary).toMatch(/^### fap deploy reported · production: ✅ succeeded/);
    expect(summary).toMatch(/^\| host1 \| production\.web \| switched \| \d{6}-\d{6} \|/m);
    expect(summary).toContain("Report: `run.html`");
  });

  it("writes the report of a failed deploy, with the failure and the switch-backs", async () => {
    const dir = await env.project("reportfail", "  published: test %(host)s != host3");
    const run = await runFap(env.hosts, dir, ["deploy", "-s", "production", "--report", "failed.html"]);
    expect(run.code).toBe(1);
    const html = readFileSync(path.join(dir, "failed.html"), "utf8");
    expectSelfContained(html);
    expect(html).toContain('<span class="result-bad">failed</span> · 0 of 3 ok');
    expect(html).toMatch(/data-host="host3"[^>]*data-result="switched back"/);
    expect(html).toContain('class="bar failed"');
    expect(html).toContain('title="failed in published"');
    expect(html).toContain('class="mark back"');
    expect(html).toContain("E_COMMAND_FAILED");
  });

  it("never shows a secret: not in a command, not in the error, not in the job summary", async () => {
    const TOKEN = "r3port-s3cret-value";
    const dir = await env.project("reportsecret", "  updated: test %(deploy_token)s = wrong", "deploy_token: env:REPORT_TOKEN");
    const summaryFile = path.join(dir, "step-summary.md");
    const run = await runFap(env.hosts, dir, ["deploy", "-s", "production", "--report", "secret.html"], { REPORT_TOKEN: TOKEN, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile });
    expect(run.code).toBe(1);
    const html = readFileSync(path.join(dir, "secret.html"), "utf8");
    expect(html).toContain("test *** = wrong");
    expect(html).not.toContain(TOKEN);
    expect(readFileSync(summaryFile, "utf8")).toContain("***");
    expect(readFileSync(summaryFile, "utf8")).not.toContain(TOKEN);
  });

  const gate = hookGate();
  it("writes the report of a run interrupted by Ctrl-C", async () => {
    const dir = await env.project("reportint", `  updated: ${gate.wait}`);
    const run = startFap(env.hosts, dir, ["deploy", "-s", "production", "--report", "interrupted.html"]);
    await waitFor(run.stdout, /▸ updated/);
    run.child.kill("SIGINT");
    await waitFor(run.stderr, /SIGINT: finishing running commands/);
    gate.open();
    expect((await run.done).code).toBe(130);
    const html = readFileSync(path.join(dir, "interrupted.html"), "utf8");
    expect(html).toContain("<strong>E_INTERRUPTED</strong>: interrupted by SIGINT");
    expect(html).toMatch(/data-host="host1"[^>]*data-result="not switched"/);
  });

  it("writes a report when the config does not load", async () => {
    const dir = await env.project("reportearly");
    writeFileSync(path.join(dir, "deploy.yml"), "stage_role_configs: [");
    const run = await runFap(env.hosts, dir, ["deploy", "-s", "production", "--report", "early.html"]);
    expect(run.code).toBe(2);
    expect(readFileSync(path.join(dir, "early.html"), "utf8")).toMatch(/<dt>result<\/dt><dd><span class="result-bad">failed<\/span>/);
  });

  it("refuses a log that is not fap's, and a missing -o, in one line each", async () => {
    const dir = await env.project("reportbad");
    writeFileSync(path.join(dir, "notes.txt"), "hello\n");
    const bad = await runFap(env.hosts, dir, ["report", "notes.txt", "-o", "x.html"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: notes.txt holds no fap --json events\nhint: /);
    const missing = await runFap(env.hosts, dir, ["report", "notes.txt"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: fap report needs the HTML file to write\nhint: fap report notes.txt -o report.html\n$/);
    const absent = await runFap(env.hosts, dir, ["report", "gone.ndjson", "-o", "x.html"]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/^error: cannot read gone.ndjson: ENOENT\nhint: /);
    expect(existsSync(path.join(dir, "x.html"))).toBe(false);
  });
});
