import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectQuietSuccess, hostTree, runFap, startTestHosts, type TestHosts } from "../../../test/harness.js";

// examples/curl-artifact run for real: the real `fap` binary in this folder (its deploy.yml
// loads fapistrano.curl from the monorepo's node_modules), three sshd hosts, and an HTTP server
// on 127.0.0.1 in this process serving ./artifact packed as a .tgz (what CI would publish).
const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));
const DEPLOY_PATH = "/srv/www/curl-artifact";

let hosts: TestHosts;
let work: string;
let server: http.Server;
let base: string;
const downloads: string[] = [];

beforeAll(async () => {
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), "fap-example-curl-")));
  const tgz = path.join(work, "app-1.0.0.tgz");
  execFileSync("tar", ["-czf", tgz, "-C", path.join(EXAMPLE, "artifact"), "."]);
  const body = readFileSync(tgz);
  server = http.createServer((req, res) => {
    downloads.push(req.url ?? "");
    if (req.url === "/builds/app-1.0.0.tgz") res.writeHead(200, { "content-type": "application/gzip" }).end(body);
    else res.writeHead(404).end("not found\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hosts = await startTestHosts({ count: 3 });
});

afterAll(async () => {
  await hosts?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("examples/curl-artifact", () => {
  it("downloads the .tgz on every host, extracts it into the release and runs install.sh there", async () => {
    const url = `${base}/builds/app-1.0.0.tgz`;
    const run = await runFap(hosts, EXAMPLE, ["run", "deploy", "-s", "production", `--curl-url=${url}`]);
    expectQuietSuccess(run);
    expect(downloads.filter((u) => u === "/builds/app-1.0.0.tgz")).toHaveLength(3);
    for (let i = 0; i < hosts.hosts.length; i++) {
      const tree = await hostTree(hosts, i, DEPLOY_PATH);
      const release = tree.releases.at(-1);
      expect(tree.current).toBe(`releases/${release}`);
      expect(readFileSync(tree.local("current/VERSION"), "utf8")).toBe("1.0.0\n");
      expect(readFileSync(tree.local("current/INSTALLED"), "utf8")).toBe(`installed 1.0.0 in ${DEPLOY_PATH}/releases/${release}\n`);
      expect(existsSync(tree.local("current/app-1.0.0.tgz"))).toBe(false);
      expect(tree.log.at(-1)).toMatchObject({ status: "ok", artifact: url });
      expect(run.stdout).toContain(`host${i + 1} | install.sh: installed 1.0.0`);
    }
  });

  it("stops on HTTP 404 without switching any host", async () => {
    const before = await Promise.all(hosts.hosts.map((_, i) => hostTree(hosts, i, DEPLOY_PATH)));
    const run = await runFap(hosts, EXAMPLE, ["run", "deploy", "-s", "production", `--curl-url=${base}/builds/app-9.9.9.tgz`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot download ${base}/builds/app-9.9.9.tgz: HTTP 404`);
    for (let i = 0; i < hosts.hosts.length; i++) {
      expect((await hostTree(hosts, i, DEPLOY_PATH)).current).toBe(before[i]!.current);
    }
  });
});
