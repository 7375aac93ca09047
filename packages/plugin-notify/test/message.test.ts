import { describe, expect, it } from "vitest";
import type { RunSummary, TargetSummary } from "@fap/core";
import { notifyMessage, slackMessage } from "../src/index.js";

function target(host: string, fields: Partial<TargetSummary> = {}): TargetSummary {
  return {
    stage: "production", role: "web", host, release: "240502-093012", previousRelease: "240501-101500", revision: "e9b5f26",
    ok: true, state: "done", result: "switched", note: "ok", phase: undefined, error: undefined, unreachable: false, lockLeft: false,
    durations: { updated: 1234, publishing: 56 }, durationMs: 1290, config: { app_name: "shop" }, ...fields,
  };
}

function summary(targets: TargetSummary[], fields: Partial<RunSummary> = {}): RunSummary {
  return {
    flow: "deploy", task: undefined, deployId: "a5b4d672", dryRun: false, ok: true, error: undefined, deployer: "alice", machine: "laptop",
    startedAt: "2024-05-02T09:30:12.000Z", durationMs: 12_345, targets, ...fields,
  };
}

describe("notifyMessage", () => {
  it("says who deployed what where, the revision the hosts agree on, and each host's seconds per hook", () => {
    const message = notifyMessage(summary([target("web1"), target("web2")]));
    expect(message.text).toBe("deploy of shop to production succeeded (a5b4d672), run by alice on laptop, 12.35s");
    expect(message.revision).toBe("e9b5f26");
    expect(message.hosts[0]).toMatchObject({ host: "web1", result: "switched", seconds: 1.29, durations: { updated: 1.23, publishing: 0.06 } });
  });

  it("names the hosts switched back and those that could not be", () => {
    const failed = summary(
      [target("web1", { result: "switched back", note: "switched back" }), target("web2", { result: "NOT switched back", revision: "0000000" })],
      { ok: false, error: { code: "E_COMMAND_FAILED", message: "deploy failed on 1 host: web2 (published): boom", hint: undefined } },
    );
    const message = notifyMessage(failed);
    expect(message).toMatchObject({ ok: false, switchedBack: ["web1"], notSwitchedBack: ["web2"], revision: undefined });
    expect(message.text).toMatch(/ FAILED \(a5b4d672\)/);
  });
});

describe("slackMessage", () => {
  it("escapes Slack's markup characters and keeps each section within Slack's 3000 characters", () => {
    const many = Array.from({ length: 200 }, (_, i) => target(`web${i}.example.com`, { note: "failed in updated; <not> switched & gone" }));
    const message = slackMessage(summary(many, { ok: false, error: { code: "E", message: "a <b> & c", hint: "try again" } }));
    expect(message.blocks[1]!.text.text).toBe("```a &lt;b&gt; &amp; c```\n_try again_");
    const hosts = message.blocks.at(-1)!.text.text;
    expect(hosts.length).toBeLessThanOrEqual(3000);
    expect(hosts).toContain("&lt;not&gt; switched &amp; gone");
    expect(hosts).toMatch(/\n… and \d+ more$/);
  });
});
