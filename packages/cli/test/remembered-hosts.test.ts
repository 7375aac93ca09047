import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recallHosts, rememberHosts, selectionKey } from "../src/remembered-hosts.js";

describe("remembered hosts", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let config: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fap-remembered-"));
    env = { FAP_CACHE_DIR: path.join(dir, "cache") };
    config = path.join(dir, "deploy.yml");
    fs.writeFileSync(config, "path: /srv/app\n");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const hosts = (n: number) => Array.from({ length: n }, (_, i) => ({ host: `web${i + 1}`, user: "deploy", port: 22 }));

  it("remembers at most 8 hosts of a run, the first ones, and gives them back while the config is unchanged", () => {
    rememberHosts("k", config, hosts(12), env);
    expect(recallHosts("k", env)).toEqual(hosts(8));
    const file = JSON.parse(fs.readFileSync(path.join(dir, "cache", "early-hosts.json"), "utf8")) as Record<string, { addresses: unknown[] }>;
    expect(file.k!.addresses).toHaveLength(8);
  });

  it("gives nothing back once the config file's size changed, and the file is private", () => {
    rememberHosts("k", config, hosts(2), env);
    expect(fs.statSync(path.join(dir, "cache", "early-hosts.json")).mode & 0o777).toBe(0o600);
    fs.appendFileSync(config, "keep_releases: 3\n");
    expect(recallHosts("k", env)).toBeUndefined();
  });

  it("is off with FAP_REMEMBER_HOSTS=0 and when --user or --port is given", () => {
    expect(selectionKey({ stage: "production", set: [] }, [], { FAP_REMEMBER_HOSTS: "0" }, dir)).toBeUndefined();
    expect(selectionKey({ stage: "production", set: [] }, ["--port=2222"], {}, dir)).toBeUndefined();
    expect(selectionKey({ stage: "production", set: [] }, [], {}, dir)).toEqual(expect.any(String));
  });
});
