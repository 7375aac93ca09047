// @fap/ssh's copy of the parts of ssh2 it uses (scripts/bundle.mjs):
//
// - dist/fap-ssh2.cjs: ssh2's client, agent and key parser (and asn1, bcrypt-pbkdf, tweetnacl,
//   which they require) in one minified CommonJS file. Installed, they are 29 files: Node
//   resolves, reads and compiles each, ~10 ms of CPU more per run than one file. ssh2's index
//   would also load its SSH server, HTTP agents and key generator, and with them Node's http
//   and tls (16 of Node's own modules); fap's client uses none of them.
// - Native parts stay ssh2's own, as installed beside @fap/ssh: its crypto addon
//   (sshcrypto.node: AES-GCM and ChaCha20-Poly1305 at 35-45% less CPU than Node's crypto),
//   taken only from the ssh2 version the copy was made of (@fap/ssh depends on exactly that
//   one; another version's addon is not loaded, and ssh2 then uses Node's crypto, as it does
//   where the addon did not build), and cpu-features, found from ssh2's folder.
// - The plugin ssh2ClientOnly() makes `import ssh2 from "ssh2"` in @fap/ssh the copy's parts,
//   and anything else of ssh2 its index, loaded only if asked for.
//
// A separate file, not inside dist/fap-ssh.js: @fap/ssh loads it with a V8 code cache made
// after a run (@fap/core's code-cache.ts; an ES module cannot have one on Node 20): ~12 ms of
// CPU less per run. And the bench's probe (bench/lib/probe.cjs) can wrap the very Client class
// fap uses.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";

const SSH2_COPY = "fap-ssh2.cjs";

/** What @fap/ssh uses of ssh2: the file of ssh2 (1.x) each comes from, and its export there (none: the module itself). */
const PARTS = {
  Client: ["ssh2/lib/client.js"],
  OpenSSHAgent: ["ssh2/lib/agent.js", "OpenSSHAgent"],
};
const UTILS = {
  parseKey: ["ssh2/lib/protocol/keyParser.js", "parseKey"],
};

/** Fails the build when a part is not what ssh2's index exports under its name (another layout of ssh2). */
function checkParts(require) {
  const whole = require("ssh2");
  const check = (table, from) => {
    for (const [name, [file, member]] of Object.entries(table)) {
      const part = member === undefined ? require(file) : require(file)[member];
      if (part !== from[name]) throw new Error(`ssh2's ${name} is not in ${file}: update scripts/bundle-ssh2-client.mjs`);
    }
  };
  check(PARTS, whole);
  check(UTILS, whole.utils);
}

/** What ssh2 requires that stays its own, as installed: its addon, and cpu-features (which loads its own). */
const NATIVE = /\.node$|^cpu-features$/;

/**
 * The installed ssh2's `require`, for its native parts; for its addon, a MODULE_NOT_FOUND error
 * when the installed ssh2 is not the copied version (ssh2 catches it, as when the addon did not
 * build).
 */
const INSTALLED = (version) => `"use strict";
const { createRequire } = require("node:module");
const path = require("node:path");
let installed;
function ssh2Require() {
  if (installed === undefined) {
    const manifest = require.resolve("ssh2/package.json");
    const version = require(manifest).version;
    installed = { require: createRequire(manifest), dir: path.dirname(manifest), same: version === ${JSON.stringify(version)}, version };
  }
  return installed;
}
exports.requireBeside = (request) => {
  const ssh2 = ssh2Require();
  if (request.endsWith(".node") && !ssh2.same) throw Object.assign(new Error("ssh2 " + ssh2.version + " is installed; fap's copy is ssh2 ${version}"), { code: "MODULE_NOT_FOUND" });
  return ssh2.require(request);
};
exports.ssh2Dir = () => ssh2Require().dir;
`;

/** Writes packages/ssh/dist/fap-ssh2.cjs from the ssh2 installed for @fap/ssh; esbuild's result. */
export async function bundleSsh2Copy(sshDir, common) {
  const require = createRequire(path.join(sshDir, "package.json"));
  checkParts(require);
  const root = path.dirname(require.resolve("ssh2/package.json"));
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const range = JSON.parse(readFileSync(path.join(sshDir, "package.json"), "utf8")).dependencies.ssh2;
  if (range !== version) throw new Error(`@fap/ssh depends on ssh2 ${range}, but its copy is of ${version}: depend on exactly the version copied`);
  const exports = [...Object.entries(PARTS), ...Object.entries(UTILS)]
    .map(([name, [file, member]]) => `exports.${name} = require(${JSON.stringify(file)})${member === undefined ? "" : `.${member}`};`)
    .join("\n");
  return build({
    ...common,
    format: "cjs",
    stdin: { contents: exports, resolveDir: sshDir, loader: "js" },
    outfile: path.join(sshDir, "dist", SSH2_COPY),
    sourcemap: true,
    sourcesContent: true,
    plugins: [
      {
        name: "ssh2-installed-parts",
        setup(b) {
          b.onResolve({ filter: /^fap-ssh2-installed$/ }, () => ({ path: "installed", namespace: "ssh2-installed" }));
          b.onResolve({ filter: /^ssh2\/package\.json$/ }, (args) => ({ path: args.path, external: true }));
          b.onResolve({ filter: NATIVE }, (args) => ({
            path: args.path.startsWith(".") ? `./${path.relative(root, path.join(args.resolveDir, args.path)).split(path.sep).join("/")}` : args.path,
            namespace: "ssh2-native",
          }));
          b.onLoad({ filter: /.*/, namespace: "ssh2-installed" }, () => ({ contents: INSTALLED(version), loader: "js" }));
          b.onLoad({ filter: /.*/, namespace: "ssh2-native" }, (args) => ({
            contents: `module.exports = require("fap-ssh2-installed").requireBeside(${JSON.stringify(args.path)});`,
            loader: "js",
          }));
          // Pageant's helper (Windows) is a file of ssh2's, found beside its own modules.
          b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/]agent\.js$/ }, (args) => {
            const source = readFileSync(args.path, "utf8");
            const pageant = "resolve(__dirname, '..', 'util/pagent.exe')";
            if (!source.includes(pageant)) throw new Error(`ssh2's agent.js no longer has ${pageant}: update scripts/bundle-ssh2-client.mjs`);
            return { contents: source.replace(pageant, "resolve(require(\"fap-ssh2-installed\").ssh2Dir(), 'util/pagent.exe')"), loader: "js" };
          });
        },
      },
    ],
  });
}

// The module `import ssh2 from "ssh2"` becomes in @fap/ssh: the copy's parts, else ssh2's index.
// The copy is loaded with a code cache (@fap/core's code-cache.ts).
// `require` is the bundle's: CommonJS, or an ES module's with scripts/bundle.mjs's banner.
const SHIM = `
import { codeCacheDir, requireWithCodeCache } from "@fap/core/internal";
const copy = requireWithCodeCache(require.resolve("./${SSH2_COPY}"), codeCacheDir());
let whole;
const index = () => (whole ??= require("ssh2"));
const lazy = (table, from) => new Proxy({}, {
  get: (_, name) => (Object.hasOwn(table, name) ? table[name] : from()[name]),
  has: (_, name) => name in from(),
  ownKeys: () => Reflect.ownKeys(from()),
  getOwnPropertyDescriptor: (_, name) => ({ ...Reflect.getOwnPropertyDescriptor(from(), name), configurable: true }),
});
const utils = lazy({ ${Object.keys(UTILS).map((name) => `${name}: copy.${name}`).join(", ")} }, () => index().utils);
export default lazy({ ${Object.keys(PARTS).map((name) => `${name}: copy.${name}`).join(", ")}, utils }, index);
`;

export function ssh2ClientOnly() {
  return {
    name: "ssh2-client-only",
    setup(build) {
      build.onResolve({ filter: /^ssh2$/ }, (args) =>
        args.namespace === "ssh2-client-only" ? { path: args.path, external: true } : { path: args.path, namespace: "ssh2-client-only", pluginData: args.resolveDir },
      );
      build.onResolve({ filter: /^ssh2\// }, (args) => ({ path: args.path, external: true }));
      build.onResolve({ filter: new RegExp(`^\\./${SSH2_COPY.replace(".", "\\.")}$`) }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: "ssh2-client-only" }, (args) => ({ contents: SHIM, loader: "js", resolveDir: args.pluginData }));
    },
  };
}
