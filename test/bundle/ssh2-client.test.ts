import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a build script, plain JS without types
import { bundleSsh2Copy, ssh2ClientOnly } from "../../scripts/bundle-ssh2-client.mjs";

// @fap/ssh's copy of ssh2's client (scripts/bundle-ssh2-client.mjs): one file, with ssh2's
// native addon taken from ssh2 as installed, and only when that is the version copied.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SSH2 = path.dirname(createRequire(path.join(ROOT, "packages/ssh/package.json")).resolve("ssh2/package.json"));
const VERSION = (JSON.parse(readFileSync(path.join(SSH2, "package.json"), "utf8")) as { version: string }).version;
const COMMON = { bundle: true, platform: "node", target: "node20", logLevel: "silent" } as const;

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "fap-ssh2-client-"));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A package like @fap/ssh in `dir`, depending on ssh2 `range`, with `ssh2` installed by `install`. */
function sshPackage(dir: string, range: string, install: (modules: string) => void): string {
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "ssh-like", dependencies: { ssh2: range } }));
  install(path.join(dir, "node_modules"));
  return dir;
}

/** Runs `script` (CommonJS) with node in `dir`, and parses the JSON line it prints. */
function runIn(dir: string, script: string): Record<string, unknown> {
  return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" })) as Record<string, unknown>;
}

/** Uses the copy in ./dist, and prints which files of ssh2 as installed (under its folder) the process loaded. */
const USE_COPY = `const copy = require("./dist/fap-ssh2.cjs");
const client = new copy.Client();
const key = require("node:crypto").generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs1", format: "pem" });
const installed = Object.keys(require.cache).filter((f) => f.includes("/ssh2/")).map((f) => f.slice(f.lastIndexOf("/ssh2/") + 6)).sort();
console.log(JSON.stringify({ installed, client: typeof client.connect, agent: typeof copy.OpenSSHAgent, key: copy.parseKey(key).type }));`;

describe("ssh2's client, copied into one file", () => {
  it("loads none of ssh2's own JavaScript but its native parts, and works", async () => {
    const dir = sshPackage(path.join(work, "same"), VERSION, (modules) => symlinkSync(SSH2, path.join(modules, "ssh2")));
    await bundleSsh2Copy(dir, COMMON);
    const seen = runIn(dir, USE_COPY);
    expect(seen).toEqual({
      // Its crypto addon and its version: none of its 29 JavaScript files.
      installed: ["lib/protocol/crypto/build/Release/sshcrypto.node", "package.json"],
      client: "function",
      agent: "function",
      key: "ssh-rsa",
    });
  });

  it("does not load the addon of another ssh2 version, and still works with Node's crypto", async () => {
    const dir = sshPackage(path.join(work, "other"), VERSION, (modules) => {
      cpSync(SSH2, path.join(modules, "ssh2"), { recursive: true, dereference: true });
      // What ssh2 requires, for its index (the copy is checked against it).
      for (const name of ["asn1", "bcrypt-pbkdf", "tweetnacl", "safer-buffer"]) symlinkSync(path.join(SSH2, "..", name), path.join(modules, name));
    });
    await bundleSsh2Copy(dir, COMMON);
    // Then ssh2 is updated beside it (another install, a hoisted copy...).
    const manifest = path.join(dir, "node_modules/ssh2/package.json");
    writeFileSync(manifest, JSON.stringify({ ...(JSON.parse(readFileSync(manifest, "utf8")) as object), version: "1.99.0" }));
    const seen = runIn(dir, USE_COPY);
    expect(seen).toEqual({ installed: ["package.json"], client: "function", agent: "function", key: "ssh-rsa" });
  });

  it("refuses to copy ssh2 for a package that does not depend on exactly the version installed", async () => {
    const dir = sshPackage(path.join(work, "range"), `^${VERSION}`, (modules) => symlinkSync(SSH2, path.join(modules, "ssh2")));
    await expect(bundleSsh2Copy(dir, COMMON)).rejects.toThrow(/depend on exactly the version copied/);
  });
});

describe("import ssh2 from \"ssh2\" in @fap/ssh's bundle", () => {
  it("is the copy's parts, and the rest of ssh2 from its index, loaded only when asked for", async () => {
    const dir = sshPackage(path.join(work, "shim"), VERSION, (modules) => {
      symlinkSync(SSH2, path.join(modules, "ssh2"));
      // The shim loads the copy with @fap/core's requireWithCodeCache, external as in @fap/ssh.
      mkdirSync(path.join(modules, "@fap"));
      symlinkSync(path.join(ROOT, "packages/core"), path.join(modules, "@fap/core"));
    });
    await bundleSsh2Copy(dir, COMMON);
    await build({
      ...COMMON,
      stdin: {
        contents: `import ssh2 from "ssh2";
export const parts = () => [ssh2.Client, ssh2.OpenSSHAgent, ssh2.utils.parseKey];
export const server = () => ssh2.Server;`,
        resolveDir: dir,
        loader: "js",
      },
      format: "esm",
      banner: { js: 'import { createRequire as __fapCreateRequire } from "node:module";\nconst require = __fapCreateRequire(import.meta.url);' },
      external: ["@fap/core/*"],
      plugins: [ssh2ClientOnly()],
      outfile: path.join(dir, "dist/shim.mjs"),
    });
    const script = `const shim = await import(${JSON.stringify(pathToFileURL(path.join(dir, "dist/shim.mjs")).href)});
const require = (await import("node:module")).createRequire(${JSON.stringify(path.join(dir, "x.js"))});
const indexLoaded = () => Object.keys(require.cache).some((file) => file.endsWith("/ssh2/lib/index.js"));
const copy = require("./dist/fap-ssh2.cjs");
const [client, agent, parseKey] = shim.parts();
const partsFromCopy = client === copy.Client && agent === copy.OpenSSHAgent && parseKey === copy.parseKey;
const before = indexLoaded();
const server = shim.server() === require("ssh2").Server;
console.log(JSON.stringify({ partsFromCopy, before, server, after: indexLoaded() }));`;
    // The copy's code cache is kept in the test's folder.
    const env = { ...process.env, FAP_CACHE_DIR: path.join(work, "cache") };
    const seen = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8", env })) as Record<string, boolean>;
    expect(seen).toEqual({ partsFromCopy: true, before: false, server: true, after: true });
  });
});
