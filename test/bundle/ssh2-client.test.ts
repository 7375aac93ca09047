import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a build script, plain JS without types
import { ssh2ClientOnly } from "../../scripts/bundle-ssh2-client.mjs";

// @fap/ssh's bundle requires ssh2 part by part (scripts/bundle-ssh2-client.mjs): the same
// objects as ssh2's index gives, without loading what fap does not use; and an ssh2 laid out
// otherwise still works, through its index.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SSH2 = path.dirname(createRequire(path.join(ROOT, "packages/ssh/package.json")).resolve("ssh2/package.json"));
const ENTRY = `import ssh2 from "ssh2";
export const client = () => ssh2.Client;
export const agent = () => ssh2.OpenSSHAgent;
export const parseKey = () => ssh2.utils.parseKey;
export const server = () => ssh2.Server;
export const loaded = () => Object.keys(require.cache);
`;
const BANNER = 'import { createRequire as __fapCreateRequire } from "node:module";\nconst require = __fapCreateRequire(import.meta.url);';

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "fap-ssh2-client-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The shim bundled against the installed ssh2, run from `dir` with `ssh2` as found there. */
async function bundledIn(dir: string, ssh2: (modules: string) => void) {
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules, { recursive: true });
  ssh2(modules);
  const outfile = path.join(dir, "shim.mjs");
  await build({
    stdin: { contents: ENTRY, resolveDir: path.join(ROOT, "packages/ssh"), loader: "js" },
    bundle: true,
    platform: "node",
    format: "esm",
    banner: { js: BANNER },
    plugins: [ssh2ClientOnly()],
    outfile,
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as Record<string, () => unknown>;
}

describe("ssh2, part by part", () => {
  it("gives what ssh2's index gives, without loading its server", async () => {
    await bundledIn(path.join(work, "installed"), (modules) => symlinkSync(SSH2, path.join(modules, "ssh2")));
    // In a process of its own: bundling required ssh2's index (to check the parts) in this one.
    const script = `const shim = await import(${JSON.stringify(pathToFileURL(path.join(work, "installed/shim.mjs")).href)});
const server = () => shim.loaded().some((file) => file.endsWith("/ssh2/lib/server.js"));
const before = server();
const parts = [shim.client(), shim.agent(), shim.parseKey()];
const partsOnly = !server();
const ssh2 = (await import("node:module")).createRequire(${JSON.stringify(path.join(work, "installed/x.js"))})("ssh2");
const same = parts[0] === ssh2.Client && parts[1] === ssh2.OpenSSHAgent && parts[2] === ssh2.utils.parseKey && shim.server() === ssh2.Server;
console.log(JSON.stringify({ before, partsOnly, same }));`;
    const seen = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as Record<string, boolean>;
    expect(seen).toEqual({ before: false, partsOnly: true, same: true });
  });

  it("falls back to ssh2's index when its files are laid out otherwise", async () => {
    const shim = await bundledIn(path.join(work, "other"), (modules) => {
      mkdirSync(path.join(modules, "ssh2"));
      writeFileSync(path.join(modules, "ssh2/package.json"), JSON.stringify({ name: "ssh2", version: "1.99.0", main: "index.js" }));
      writeFileSync(
        path.join(modules, "ssh2/index.js"),
        "class Client {}\nclass OpenSSHAgent {}\nmodule.exports = { Client, OpenSSHAgent, Server: class Server {}, utils: { parseKey: () => 'parsed' } };\n",
      );
    });
    expect((shim.client!() as { name: string }).name).toBe("Client");
    expect((shim.agent!() as { name: string }).name).toBe("OpenSSHAgent");
    expect((shim.parseKey!() as () => string)()).toBe("parsed");
    expect((shim.server!() as { name: string }).name).toBe("Server");
  });
});
