import { createServer } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NotifyMessage, SlackMessage } from "../src/index.js";
import { projectDir, runFap, startTestHosts, type FapRun, type TestHosts } from "../../../test/harness.js";
import { startWebhook, type WebhookPost } from "../../../test/webhook.js";

// @fap/plugin-notify loaded by name from a deploy.yml, run by the real `fap` against two real
// sshd hosts; an HTTP server on 127.0.0.1 stands in for the chat service.
const TOKEN = "T0KEN-s3cret-path";
let hosts: TestHosts;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  webhook = await startWebhook();
  hosts = await startTestHosts({ count: 2 });
});

afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await hosts?.stop();
  await webhook?.close();
});

afterEach(() => {
  webhook.answer = { status: 204 };
});

/** A project deploying app `app` to host1 and host2 with the notifier; `extra` adds top-level keys. */
async function project(app: string, extra = ""): Promise<string> {
  const p = await projectDir(
    {
      "deploy.yml": `app_name: ${app}
path: /srv/www/%(app_name)s
plugins: [fapistrano.notify]
notify_url: env:NOTIFY_URL
${extra}
hooks:
  # A marker file in the deploy path makes a phase fail on that host.
  published: test ! -e %(path)s/fail-published || { echo "published fails here" >&2; exit 1; }
stage_role_configs:
  production:
    web:
      hosts: [host1, host2]
`,
    },
    { installed: true },
  );
  cleanups.push(p.cleanup);
  return p.dir;
}

async function fap(dir: string, args: string[], url = `${webhook.base}/hook/${TOKEN}`): Promise<{ run: FapRun; messages: WebhookPost[] }> {
  webhook.received.length = 0;
  const run = await runFap(hosts, dir, args, { NOTIFY_URL: url });
  return { run, messages: [...webhook.received] };
}

describe("@fap/plugin-notify", () => {
  it("posts one JSON message for a deploy that succeeds, with every host's result", async () => {
    const dir = await project("notify-ok");
    const { run, messages } = await fap(dir, ["run", "deploy", "-s", "production"]);
    expect(run.code, run.stderr).toBe(0);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.path).toBe(`/hook/${TOKEN}`);
    expect(messages[0]!.type).toBe("application/json");
    const message = messages[0]!.body as NotifyMessage;
    expect(message).toMatchObject({ ok: true, flow: "deploy", app: "notify-ok", stages: ["production"], switchedBack: [], notSwitchedBack: [] });
    expect(message.error).toBeUndefined();
    expect(message.text).toMatch(/^deploy of notify-ok to production succeeded \([0-9a-f]{8}\), run by \S+ on \S+, [\d.]+s$/);
    expect(message.hosts.map((h) => [h.host, h.role, h.result, h.note])).toEqual([["host1", "web", "switched", "ok"], ["host2", "web", "switched", "ok"]]);
    for (const host of message.hosts) {
      expect(host.release).toMatch(/^\d{6}-\d{6}/);
      expect(Object.keys(host.durations)).toContain("publishing");
    }
    // The URL is a secret: its path never shows.
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it("posts one message for a deploy that fails after publishing: the error, and the hosts switched back", async () => {
    const dir = await project("notify-fail");
    expect((await fap(dir, ["run", "deploy", "-s", "production"])).run.code).toBe(0);
    await hosts.hosts[1]!.exec("touch /srv/www/notify-fail/fail-published");
    const { run, messages } = await fap(dir, ["run", "deploy", "-s", "production"]);
    expect(run.code).toBe(1);
    expect(messages).toHaveLength(1);
    const message = messages[0]!.body as NotifyMessage;
    expect(message.ok).toBe(false);
    expect(message.text).toMatch(/^deploy of notify-fail to production FAILED/);
    expect(message.error?.message).toMatch(/^deploy failed on 1 host: host2 \(published\): .*published fails here/);
    expect(message.switchedBack).toEqual(["host1", "host2"]);
    expect(message.hosts.map((h) => [h.host, h.result, h.phase])).toEqual([["host1", "switched back", undefined], ["host2", "switched back", "published"]]);
  });

  it("notify_format: slack posts a Slack incoming-webhook message", async () => {
    const dir = await project("notify-slack", "notify_format: slack");
    const { run, messages } = await fap(dir, ["run", "deploy", "-s", "production"]);
    expect(run.code, run.stderr).toBe(0);
    expect(messages).toHaveLength(1);
    const message = messages[0]!.body as SlackMessage;
    expect(Object.keys(message).sort()).toEqual(["blocks", "text"]);
    expect(message.text).toMatch(/^deploy of notify-slack to production succeeded/);
    expect(message.blocks.every((b) => b.type === "section" && b.text.type === "mrkdwn")).toBe(true);
    expect(message.blocks.at(-1)!.text.text).toMatch(/^`host1` production\.web \d{6}-\d{6}: ok \([\d.]+s\)\n`host2` production\.web \d{6}-\d{6}: ok/);
  });

  it("an unreachable notify_url, or one that does not answer in notify_timeout, is a warning: the deploy still exits 0", async () => {
    const dir = await project("notify-down", "notify_timeout: 0.5");
    // A port nobody listens on: take one, then free it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const down = await fap(dir, ["run", "deploy", "-s", "production"], `http://127.0.0.1:${port}/hook/${TOKEN}`);
    expect(down.run.code, down.run.stderr).toBe(0);
    expect(down.run.stdout + down.run.stderr).toMatch(/warning: notify: could not POST to notify_url: .*ECONNREFUSED.* \(the run's result is unchanged\)/);
    expect(down.run.stdout + down.run.stderr).not.toContain(TOKEN);

    webhook.answer = "hang";
    const started = Date.now();
    const slow = await fap(dir, ["run", "deploy", "-s", "production"]);
    expect(slow.run.code, slow.run.stderr).toBe(0);
    expect(slow.messages).toHaveLength(1);
    expect(slow.run.stdout + slow.run.stderr).toMatch(/warning: notify: could not POST to notify_url: timed out after 0\.5s/);
    expect(Date.now() - started).toBeLessThan(15_000);

    webhook.answer = { status: 500 };
    const refused = await fap(dir, ["run", "deploy", "-s", "production"]);
    expect(refused.run.code).toBe(0);
    expect(refused.run.stdout + refused.run.stderr).toMatch(/warning: notify: could not POST to notify_url: the server answered 500/);
  });

  it("--dry-run posts nothing", async () => {
    const dir = await project("notify-dry");
    const { run, messages } = await fap(dir, ["run", "deploy", "-s", "production", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(messages).toEqual([]);
    expect(run.stdout).toContain("notify: would POST the run's outcome to notify_url (json)");
  });
});
