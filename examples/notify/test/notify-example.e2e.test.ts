import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFap, startTestHosts, type TestHosts } from "../../../test/harness.js";
import { startWebhook } from "../../../test/webhook.js";

// examples/notify run for real: the real `fap` in this folder, two sshd hosts, and an HTTP
// server on 127.0.0.1 in the chat webhook's place.
const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));

interface SlackMessage {
  text: string;
  blocks?: Array<{ type: string; text?: { text: string } }>;
}

let hosts: TestHosts;
let webhook: Awaited<ReturnType<typeof startWebhook>>;
let url: string;

beforeAll(async () => {
  // Slack's incoming webhooks answer 200 "ok".
  webhook = await startWebhook({ status: 200, body: "ok" });
  url = `${webhook.base}/services/T000/B000/XXXX`;
  hosts = await startTestHosts({ count: 2 });
});

afterAll(async () => {
  await hosts?.stop();
  await webhook?.close();
});

/** Runs fap in the example's folder and returns what the webhook received. */
async function fap(args: string[], notifyUrl = url) {
  webhook.received.length = 0;
  const run = await runFap(hosts, EXAMPLE, args, { NOTIFY_URL: notifyUrl });
  return { run, messages: webhook.received.map((post) => post.body as SlackMessage) };
}

/** The whole message as one text: Slack shows `text` and the blocks. */
const shown = (message: SlackMessage) => [message.text, ...(message.blocks ?? []).map((b) => b.text?.text ?? "")].join("\n");

describe("examples/notify", () => {
  it("posts one message per deploy and per rollback, naming every host, and never shows the webhook URL", async () => {
    const first = await fap(["run", "deploy", "-s", "production"]);
    expect(first.run.code, first.run.stderr).toBe(0);
    expect(first.messages).toHaveLength(1);
    expect(shown(first.messages[0]!)).toMatch(/host1/);
    expect(shown(first.messages[0]!)).toMatch(/host2/);
    expect(first.run.stdout + first.run.stderr).not.toContain(url);

    expect((await fap(["run", "deploy", "-s", "production"])).run.code).toBe(0);
    const rollback = await fap(["rollback", "-s", "production"]);
    expect(rollback.run.code, rollback.run.stderr).toBe(0);
    expect(rollback.messages).toHaveLength(1);
    expect(shown(rollback.messages[0]!)).toMatch(/rollback/i);
  });

  it("posts one message for a deploy whose release phase fails: it failed, and no host was switched", async () => {
    const failed = await fap(["run", "deploy", "-s", "production", "--release-command=exit 3"]);
    expect(failed.run.code).toBe(1);
    expect(failed.messages).toHaveLength(1);
    const text = shown(failed.messages[0]!);
    expect(text).toMatch(/fail/i);
    expect(text).toMatch(/not switched/);
  });

  it("warns when the webhook cannot be reached, and the deploy still succeeds", async () => {
    const closed = await fap(["run", "deploy", "-s", "production"], "http://127.0.0.1:9/unreachable");
    expect(closed.run.code, closed.run.stderr).toBe(0);
    const printed = closed.run.stdout + closed.run.stderr;
    expect(printed).toMatch(/^warning: notify: could not POST to notify_url/m);
    expect(printed).not.toContain("127.0.0.1:9");
  });
});
