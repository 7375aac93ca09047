import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTestHostSupport, deployWith, readDeployState, startTestHosts, type TestHosts } from "@fap/testing";
import healthcheck from "../src/index.js";

const unsupported = await checkTestHostSupport().then(() => "", (error: Error) => error.message);

/** The app the hosts check: /ok answers 200, /down 503, /slow 503 to its first two requests then 200. */
function startApp() {
  const requests: Array<{ path: string; release: string | undefined }> = [];
  let slow = 0;
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", release: req.headers["x-fap-release"] as string | undefined });
    const status = req.url === "/ok" ? 200 : req.url === "/slow" ? (++slow > 2 ? 200 : 503) : 503;
    res.writeHead(status).end();
  });
  return new Promise<{ url: (path: string) => string; requests: typeof requests; close: () => Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: (path) => `http://127.0.0.1:${port}${path}`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

describe.skipIf(unsupported)("fap-plugin-healthcheck on real hosts", () => {
  let testHosts: TestHosts;
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    [testHosts, app] = await Promise.all([startTestHosts({ count: 2 }), startApp()]);
  });
  afterAll(async () => {
    await Promise.all([testHosts?.stop(), app?.close()]);
  });

  const state = (index: number) => readDeployState(testHosts.hosts[index]!, "/srv/www/app");

  it("lets the deploy finish when every host's URL answers 200", async () => {
    const run = await deployWith(testHosts, { plugins: [healthcheck({ url: app.url("/ok") })] });
    for (const [index, host] of testHosts.hosts.entries()) {
      const { current, releases } = await state(index);
      expect(current).toBe(releases.at(-1));
      // Each host checked its own new release.
      expect(app.requests).toContainEqual({ path: "/ok", release: current });
      expect(run.output.some((line) => line.startsWith(`${host.alias} ${app.url("/ok")} answered 200 after 1 try`))).toBe(true);
    }
  });

  it("tries again until the app answers 200", async () => {
    const run = await deployWith(testHosts, {
      plugins: [healthcheck()],
      config: { healthcheck_url: app.url("/slow"), healthcheck_interval: 0.2 },
      stage: "test",
      role: "app",
    });
    expect(run.output.some((line) => / answered 200 after \d+ tries/.test(line))).toBe(true);
    expect(app.requests.filter((r) => r.path === "/slow").length).toBeGreaterThanOrEqual(4);
  });

  it("fails the deploy when a host never answers 200, and fap switches every host back", async () => {
    const before = await Promise.all([state(0), state(1)]);
    await expect(
      deployWith(testHosts, { plugins: [healthcheck({ url: app.url("/down") })], set: { healthcheck_timeout: 1, healthcheck_interval: 0.3 } }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/\[fap-plugin-healthcheck\] published: .*\/down did not answer 200 within 1 s \(last answer 503, (?:1 try|\d+ tries)\)/),
    });
    for (const index of [0, 1]) {
      const after = await state(index);
      expect(after.current).toBe(before[index]!.current);
      expect(after.releases).toEqual(before[index]!.releases);
      const failed = after.log.at(-1)!;
      expect(failed.status).toBe("failed");
      expect(failed.healthcheck).toMatch(/^no 200 from .*\/down in 1 s \(last answer 503\)$/);
    }
  });

  it("says when nothing listens at the URL", async () => {
    const closed = await startApp();
    const url = closed.url("/ok");
    await closed.close();
    await expect(deployWith(testHosts, { plugins: [healthcheck({ url, timeout: 1 })] })).rejects.toThrow(/within 1 s \(nothing answered/);
  });

  it("refuses a missing URL before anything is created on the hosts", async () => {
    const before = await state(0);
    await expect(deployWith(testHosts, { plugins: [healthcheck()] })).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("healthcheck_url is not set"),
    });
    expect(await state(0)).toEqual(before);
  });

  it("refuses bad options when the plugin is created", () => {
    expect(() => healthcheck({ timeout: -1 })).toThrow("[fap-plugin-healthcheck] options: 'timeout' must be a number above 0, got number -1");
    expect(() => healthcheck({ status: 42 })).toThrow("[fap-plugin-healthcheck] options: 'status' must be an HTTP status (100-599), got number 42");
  });
});
