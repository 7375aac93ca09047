import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCommand, parseAnswer, readSettings } from "../src/index.js";

// The check's shell script, run here with sh against a real local HTTP server (the hosts run
// the same script over ssh): with curl, with wget only, and with neither.
let server: Server;
let base = "";
let seen: string[] = [];
let bin = "";
let work = "";
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(String(request.headers["x-fap-release"]));
    const url = request.url ?? "/";
    hits.set(url, (hits.get(url) ?? 0) + 1);
    if (url === "/up") return void response.end("ready\nsecond line\n");
    if (url === "/third") return void response.writeHead(hits.get(url)! >= 3 ? 200 : 503).end("warming up\n");
    if (url === "/big") return void response.end("x".repeat(1_000_000));
    response.writeHead(500).end("boom: DATABASE_URL is not set\nTraceback ...\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  work = mkdtempSync(path.join(os.tmpdir(), "fap-healthcheck-"));
  // A PATH with wget but no curl.
  bin = path.join(work, "bin");
  execFileSync("mkdir", [bin]);
  for (const tool of ["sh", "mktemp", "rm", "awk", "head", "tail", "grep", "sleep", "timeout", "wget", "cat"]) {
    const found = execFileSync("sh", ["-c", `command -v ${tool}`]).toString().trim();
    symlinkSync(found, path.join(bin, tool));
  }
});
afterAll(() => {
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs the script with sh, asynchronously: the server answering it lives in this process. */
function sh(script: string, input: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", script], { env, stdio: ["pipe", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject).on("close", (status) => resolve({ status, stdout }));
    child.stdin.end(input);
  });
}

async function run(config: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env) {
  const settings = readSettings({ healthcheck_retries: 0, healthcheck_interval: 0.1, healthcheck_timeout: 5, healthcheck_expect_status: 200, ...config });
  const result = await sh(checkCommand(settings, work, "240501-101500"), `${settings.url ?? ""}\n`, env);
  expect(result.status).toBe(0);
  return parseAnswer(result.stdout);
}

describe.each([
  ["curl", undefined],
  ["wget", "wget"],
])("the check with %s", (_name, only) => {
  const env = () => (only ? { PATH: bin } : process.env);

  it("passes on the expected status and body, sending the release's id", async () => {
    seen = [];
    expect(await run({ healthcheck_url: `${base}/up`, healthcheck_expect_body: "ready" }, env())).toEqual({ result: "ok", tries: 1, status: "200", line: "ready" });
    expect(seen).toEqual(["240501-101500"]);
  });

  it("fails with the last status and the body's first line", async () => {
    expect(await run({ healthcheck_url: `${base}/broken`, healthcheck_retries: 1 }, env())).toEqual({ result: "unhealthy", tries: 2, status: "500", line: "boom: DATABASE_URL is not set" });
  });

  it("fails when the body lacks the expected text", async () => {
    expect(await run({ healthcheck_url: `${base}/up`, healthcheck_expect_body: "healthy" }, env())).toMatchObject({ result: "unhealthy", status: "200", line: "ready" });
  });

  it("says why nothing answered", async () => {
    const answer = await run({ healthcheck_url: "http://127.0.0.1:9/up" }, env());
    expect(answer).toMatchObject({ result: "unhealthy", status: "000" });
    expect(answer!.line).toMatch(only ? /^no answer$/ : /refused|connect/i);
  });

  it("brings back a bounded line of a huge body", async () => {
    const answer = await run({ healthcheck_url: `${base}/big`, healthcheck_expect_status: 201 }, env());
    expect(answer).toMatchObject({ result: "unhealthy", status: "200" });
    expect(answer!.line).toBe("x".repeat(300));
  });
});

it("tries again until the app answers", async () => {
  expect(await run({ healthcheck_url: `${base}/third`, healthcheck_retries: 5 })).toMatchObject({ result: "ok", tries: 3, status: "200" });
});

it("runs the command in the release, and reports its last line when it fails", async () => {
  expect(await run({ healthcheck_command: "test -d . && echo fine" })).toMatchObject({ result: "ok", status: "-" });
  expect(await run({ healthcheck_command: "echo checking; echo 'migrations pending' >&2; exit 1" })).toEqual({ result: "unhealthy", tries: 1, status: "command", line: "migrations pending" });
});

it("says when the host has neither curl nor wget", async () => {
  const none = path.join(work, "none");
  execFileSync("mkdir", [none]);
  for (const tool of ["mktemp", "rm", "timeout"]) symlinkSync(path.join(bin, tool), path.join(none, tool));
  const settings = readSettings({ healthcheck_url: `${base}/up`, healthcheck_retries: 0, healthcheck_interval: 1, healthcheck_timeout: 1, healthcheck_expect_status: 200 });
  const result = await sh(checkCommand(settings, work, "x"), `${base}/up\n`, { PATH: none });
  expect(parseAnswer(result.stdout)).toMatchObject({ result: "no-client" });
});
