#!/usr/bin/env node
// Writes each plugin's key table into its docs page and README, from the plugin's key declaration (its
// KEYS export), between `<!-- keys -->` and `<!-- /keys -->`. With --check, writes nothing and
// exits 1 naming each page whose table differs (test/docs/key-tables.test.ts runs that).
// Reads the built packages: run `npm run build` first.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { keyTable } from "@fap/core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const PAGES = [
  { page: "docs/plugins/curl.md", module: "@fap/plugin-curl", keys: "CURL_KEYS", factory: "curl" },
  { page: "docs/plugins/git.md", module: "@fap/plugin-git", keys: "GIT_KEYS", factory: "git" },
  { page: "docs/plugins/virtualenv.md", module: "@fap/plugin-virtualenv", keys: "VIRTUALENV_KEYS", factory: "virtualenv" },
  { page: "docs/plugins/supervisorctl.md", module: "@fap/plugin-supervisorctl", keys: "SUPERVISOR_KEYS", factory: "supervisorctl" },
  { page: "docs/plugins/healthcheck.md", module: "@fap/plugin-healthcheck", keys: "HEALTHCHECK_KEYS", factory: "healthcheck" },
  { page: "docs/plugins/webpack-build.md", module: "@fap/plugin-webpack-build", keys: "WEBPACK_KEYS", factory: "webpackBuild" },
  { page: "docs/plugins/notify.md", module: "@fap/plugin-notify", keys: "NOTIFY_KEYS", factory: "notify" },
  { page: "docs/plugins/node.md", module: "@fap/plugin-node", keys: "NODE_KEYS", factory: "node" },
  { page: "docs/plugins/pm2.md", module: "@fap/plugin-pm2", keys: "PM2_KEYS", factory: "pm2" },
  { page: "docs/plugins/upload.md", module: "@fap/plugin-upload", keys: "UPLOAD_KEYS", factory: "upload" },
  { page: "docs/plugins/systemd.md", module: "@fap/plugin-systemd", keys: "SYSTEMD_KEYS", factory: "systemd" },
  { page: "packages/plugin-curl/README.md", module: "@fap/plugin-curl", keys: "CURL_KEYS", factory: "curl" },
  { page: "packages/plugin-git/README.md", module: "@fap/plugin-git", keys: "GIT_KEYS", factory: "git" },
  { page: "packages/plugin-virtualenv/README.md", module: "@fap/plugin-virtualenv", keys: "VIRTUALENV_KEYS", factory: "virtualenv" },
  { page: "packages/plugin-supervisorctl/README.md", module: "@fap/plugin-supervisorctl", keys: "SUPERVISOR_KEYS", factory: "supervisorctl" },
  { page: "packages/plugin-healthcheck/README.md", module: "@fap/plugin-healthcheck", keys: "HEALTHCHECK_KEYS", factory: "healthcheck" },
  { page: "packages/plugin-webpack-build/README.md", module: "@fap/plugin-webpack-build", keys: "WEBPACK_KEYS", factory: "webpackBuild" },
  { page: "packages/plugin-notify/README.md", module: "@fap/plugin-notify", keys: "NOTIFY_KEYS", factory: "notify" },
  { page: "packages/plugin-node/README.md", module: "@fap/plugin-node", keys: "NODE_KEYS", factory: "node" },
  { page: "packages/plugin-pm2/README.md", module: "@fap/plugin-pm2", keys: "PM2_KEYS", factory: "pm2" },
  { page: "packages/plugin-upload/README.md", module: "@fap/plugin-upload", keys: "UPLOAD_KEYS", factory: "upload" },
  { page: "packages/plugin-systemd/README.md", module: "@fap/plugin-systemd", keys: "SYSTEMD_KEYS", factory: "systemd" },
  { page: "examples/third-party-plugin/README.md", module: "../examples/third-party-plugin/dist/index.js", keys: "HEALTHCHECK_KEYS", factory: "healthcheck" },
];

const MARKED = /(<!-- keys -->\n)[\s\S]*?(\n<!-- \/keys -->)/;

const check = process.argv.includes("--check");
const stale = [];
for (const { page, module, keys, factory } of PAGES) {
  const file = path.join(ROOT, page);
  const text = readFileSync(file, "utf8");
  if (!MARKED.test(text)) throw new Error(`${page}: no <!-- keys --> ... <!-- /keys --> around the key table`);
  const declared = (await import(module))[keys];
  if (declared === undefined) throw new Error(`${module} exports no ${keys}`);
  const updated = text.replace(MARKED, (_, open, close) => `${open}${keyTable(declared, factory)}${close}`);
  if (updated === text) continue;
  stale.push(page);
  if (!check) writeFileSync(file, updated);
}
if (check && stale.length > 0) {
  console.error(`key tables differ from the plugins' declarations in: ${stale.join(", ")}\nrun: node scripts/key-tables.mjs`);
  process.exit(1);
}
if (!check) console.log(stale.length === 0 ? "key tables are up to date" : `updated: ${stale.join(", ")}`);
