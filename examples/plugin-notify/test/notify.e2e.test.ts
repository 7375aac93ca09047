import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runFap, startTestHosts, type FapRun, type TestHosts } from "../../../test/harness.js";
import { startWebhook } from "../../../test/webhook.js";

// examples/plugin-notify run for real: the real `fap` binary in this folder, two sshd hosts,
// and an HTTP server on 127.0.0.1 standing in for the chat service the notifier posts to.
const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));
const DEPLOY_PATH = "/srv/www/notify-example";

interface Message {
  text: string;
  ok: boolean;
  error?: string;
  hosts: Array<{ host: string; release?: string; result: string; note: string; seconds: number }>;
}

let hosts: TestHosts;
let webhook: Awaited<ReturnType<typeof startWebhook>>;

beforeAll(async () => {
  webhook = await startWebhook();
  hosts = await startTestHosts({ count: 2 });
});

afterAll(async () => {
  await hosts?.stop();
  await webhook?.close();
});

afterEach(() => {
  for (const host of hosts.hosts) for (const marker of ["fail-updated", "fail-published"]) rmSync(host.local(`${DEPLOY_PATH}/${marker}`), { force: true });
});

/** Runs fap with the test config (the example's, plus hooks that fail where a marker is) and returns the messages posted. */
async function fap(...args: string[]): Promise<{ run: FapRun; messages: Message[] }> {
  webhook.received.length = 0;
  const run = await runFap(hosts, EXAMPLE, [...args, "-c", "test/failing.config.ts"], { NOTIFY_URL: `${webhook.base}/hook` });
  return { run, messages: webhook.received.map((post) => post.body as Message) };
}

function mark(index: number, phase: string): void {
  mkdirSync(hosts.hosts[index]!.local(DEPLOY_PATH), { recursive: true });
  writeFileSync(hosts.hosts[index]!.local(`${DEPLOY_PATH}/fail-${phase}`), "");
}

/** The summary table's row of a host, as printed. */
function row(run: FapRun, host: string): string {
  return run.stdout.split("\n").find((line) => new RegExp(`^${host} +\\d{6}-\\d{6}`).test(line)) ?? "";
}

describe("examples/plugin-notify", () => {
  it("posts one message for a deploy that succeeds, with every host switched", async () => {
    const { run, messages } = await fap("run", "deploy", "-s", "production");
    expect(run.code).toBe(0);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.ok).toBe(true);
    expect(message!.text).toMatch(/^deploy succeeded \([0-9a-f]{8}\), run by \S+ on \S+$/);
    expect(message!.hosts.map((h) => [h.host, h.result, h.note])).toEqual([["host1", "switched", "ok"], ["host2", "switched", "ok"]]);
    expect(message!.hosts[0]!.release).toMatch(/^\d{6}-\d{6}/);
    expect(message!.hosts.every((h) => h.seconds > 0)).toBe(true);
  });

  it("posts one message for a deploy that fails before publishing: no host switched", async () => {
    mark(1, "updated");
    const { run, messages } = await fap("run", "deploy", "-s", "production", "--json");
    expect(run.code).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.ok).toBe(false);
    expect(messages[0]!.error).toMatch(/^deploy failed on 1 host: host2 \(updated\): \[fap:hooks\] updated: .*updated fails here on purpose/);
    expect(messages[0]!.hosts.map((h) => [h.host, h.result, h.note])).toEqual([
      ["host1", "not switched", "not switched"],
      ["host2", "not switched", "failed in updated; not switched"],
    ]);
    // The --json summary and host-result lines say the same as the message.
    const lines = run.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    const summary = lines.filter((l) => l.type === "summary");
    expect(summary).toHaveLength(1);
    expect((summary[0]!.targets as Array<{ note: string }>).map((t) => t.note)).toEqual(messages[0]!.hosts.map((h) => h.note));
    expect(lines.filter((l) => l.type === "host-result").map((l) => l.state)).toEqual(["not-switched", "not-switched"]);
  });

  it("posts one message for a deploy that fails after host1 switched (--batch 1): host1 switched back", async () => {
    mark(1, "published");
    const { run, messages } = await fap("run", "deploy", "-s", "production", "--batch", "1");
    expect(run.code).toBe(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.hosts.map((h) => [h.host, h.result, h.note])).toEqual([
      ["host1", "switched back", "switched back"],
      ["host2", "switched back", "failed in published; switched back"],
    ]);
    // What the message says is what the printed summary says.
    for (const host of messages[0]!.hosts) expect(row(run, host.host)).toContain(host.note);
  });

  it("posts one message for a run stopped before any host phase (another run's lock): every host not started", async () => {
    mkdirSync(hosts.hosts[1]!.local(`${DEPLOY_PATH}/.fap/lock`), { recursive: true });
    try {
      const { run, messages } = await fap("run", "deploy", "-s", "production");
      expect(run.code).not.toBe(0);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.ok).toBe(false);
      expect(messages[0]!.hosts.map((h) => [h.host, h.result])).toEqual([["host1", "not started"], ["host2", "not started"]]);
    } finally {
      rmSync(hosts.hosts[1]!.local(`${DEPLOY_PATH}/.fap/lock`), { recursive: true, force: true });
    }
  });

  it("posts one message for a restart too", async () => {
    const { run, messages } = await fap("run", "restart", "-s", "production");
    expect(run.code).toBe(0);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toMatch(/^restart succeeded/);
    expect(messages[0]!.hosts.map((h) => h.result)).toEqual(["ok", "ok"]);
  });

  it("is the code of docs/cookbook/notify.md", () => {
    const page = readFileSync(path.join(EXAMPLE, "../../docs/cookbook/notify.md"), "utf8");
    const block = /```ts notify\.ts\n([\s\S]*?)```/.exec(page)?.[1];
    expect(block).toBe(readFileSync(path.join(EXAMPLE, "notify.ts"), "utf8"));
  });
});
