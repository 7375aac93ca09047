import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuietSuccess, hostTree, runFap, startTestHosts, type TestHosts } from "../../../test/harness.js";

// examples/webpack run for real: the real `fap` binary in this folder; its deploy.yml loads
// webpack-build, which builds this project once with the monorepo's webpack (found from here
// by node's resolution) and ships the bundle to three sshd hosts.
const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));
const DIST = path.join(EXAMPLE, "dist");
const DEPLOY_PATH = "/srv/www/webpack-example";
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let hosts: TestHosts;
let work: string;

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-example-webpack-")));
  rmSync(DIST, { recursive: true, force: true });
  hosts = await startTestHosts({ count: 3 });
});

afterAll(async () => {
  await hosts?.stop();
  rmSync(DIST, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("examples/webpack", () => {
  it("builds once, locally, and every host gets the same bundle", async () => {
    const buildLog = path.join(work, "builds.log");
    const run = await runFap(hosts, EXAMPLE, ["run", "deploy", "-s", "production"], { FAP_EXAMPLE_BUILD_LOG: buildLog });
    expectQuietSuccess(run);

    // webpack ran once, in production mode, before the first host phase.
    expect(readFileSync(buildLog, "utf8")).toBe("production\n");
    expect(run.stdout.match(/^webpack 5\.\d+\.\d+ built dist\//gm)).toHaveLength(1);
    expect(run.stdout.indexOf("webpack 5.")).toBeLessThan(run.stdout.indexOf("▸ starting"));

    const local = sha256(path.join(DIST, "main.js"));
    const bundles = new Set<unknown>();
    for (let i = 0; i < hosts.hosts.length; i++) {
      const tree = await hostTree(hosts, i, DEPLOY_PATH);
      expect(tree.current).toBe(`releases/${tree.releases.at(-1)}`);
      const deployed = tree.local("current/dist/main.js");
      expect(existsSync(deployed)).toBe(true);
      expect(sha256(deployed)).toBe(local);
      expect(execFileSync(process.execPath, [deployed], { encoding: "utf8" })).toBe("hello, fap\n");
      expect(run.stdout).toContain(`host${i + 1} | bundle in place`);
      expect(tree.log.at(-1)).toMatchObject({ status: "ok" });
      bundles.add(tree.log.at(-1)?.webpack_bundle);
    }
    // One archive, the same on every host.
    expect(bundles.size).toBe(1);
    expect([...bundles][0]).toMatch(/^[0-9a-f]{64}$/);
  });
});
