import { PassThrough, Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { formatFapError } from "@fap/core";
import { type SshConnectorOptions } from "../src/index.js";
import { useSshd } from "./_sshd.js";
import { rejection } from "../../../test/thrown.js";

// Remote.exec's options and messages against a real sshd, each test on its own connection.
const sshd = useSshd(1);

async function remote(options: SshConnectorOptions = {}) {
  const c = sshd.connector({ ...options });
  return { connector: c, remote: await c.connect({ host: "host1" }) };
}

describe("exec", () => {
  it("names the command as shownAs says in its messages", async () => {
    const { remote: r } = await remote();
    const error = await rejection(r.exec("sudo -n sleep 5", { shownAs: "sleep 5", timeoutMs: 200 }));
    expect(formatFapError(error)).toBe("host1: `sleep 5` timed out after 200 ms");
    expect(error.details).toEqual({ command: "sleep 5", timeoutMs: 200 });
  });

  it("shows a command's line breaks as \\n in messages", async () => {
    const { remote: r } = await remote();
    const error = await rejection(r.exec("sleep 5\nsleep 6", { timeoutMs: 200 }));
    expect(error.message).toBe("`sleep 5\\nsleep 6` timed out after 200 ms");
  });

  it("has no timeout when timeoutMs is 0", async () => {
    const { remote: r } = await remote();
    expect((await r.exec("sleep 0.2; echo waited", { timeoutMs: 0 })).stdout).toBe("waited\n");
  });

  it("learns a lower MaxSessions from sshd's refusals and queues the rest", async () => {
    // sshd allows 10 sessions; 14 channels at once get some refused, then run once others end.
    const { remote: r } = await remote({ maxChannelsPerHost: 14 });
    const results = await Promise.all(Array.from({ length: 14 }, (_, i) => r.exec(`sleep 0.3; echo ${i}`)));
    expect(results.map((result) => result.stdout)).toEqual(Array.from({ length: 14 }, (_, i) => `${i}\n`));
  });

  it("stops calling a line callback once it threw", async () => {
    const { remote: r } = await remote();
    const lines: string[] = [];
    const error = await r
      .exec("echo a; echo b; echo c; sleep 1", {
        onStdout: (line) => {
          lines.push(line);
          throw new Error(`no ${line}`);
        },
      })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("no a");
    expect(lines).toEqual(["a"]);
  });

  it("fails what runs with no hint when the connector closes", async () => {
    const { connector, remote: r } = await remote();
    const running = rejection(r.exec("sleep 5"));
    await sleep(200);
    await connector.close();
    const error = await running;
    expect(error.message).toBe("connection closed while running `sleep 5`");
    expect(error.hint).toBeUndefined();
    expect(error.details).toEqual({ command: "sleep 5" });
  });

  it("feeds a stream as stdin to its end", async () => {
    const { remote: r } = await remote();
    expect((await r.exec("wc -c", { stdin: Readable.from([Buffer.from("abc"), Buffer.from("de")]) })).stdout.trim()).toBe("5");
  });

  it("cuts the command's input when the stdin stream breaks, instead of ending it", async () => {
    const { remote: r } = await remote();
    const stdin = new PassThrough();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const result = r.exec("echo started; cat > /srv/cut; echo status $?", { stdin, onStdout: started });
    stdin.write("partial");
    await running;
    stdin.destroy(new Error("source broke"));
    // A clean end would let cat finish and the shell print its status.
    expect((await result).stdout).not.toContain("status");
  });
});
