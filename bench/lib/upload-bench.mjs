// Upload: @fap/plugin-upload shipping a build folder (default 200 MB in 5,000 files) to H hosts,
// against `tar | ssh` per host and rsync over OpenSSH (--link-dest for the redeploy, as fap's
// hard links), all hosts at once; a first deploy and a one-file-changed redeploy; fap's peak
// RSS with a small and the large tree (memory must not grow with the tree: it streams). fap's
// redeploy runs twice: with the hash cache its first deploy left (a deploy from a dev machine or
// a CI runner that keeps its checkout) and without it (a fresh CI checkout: every file is hashed).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fapCommand } from "../variants/fap.mjs";
import { startHosts } from "./hosts.mjs";
import { runChild } from "./run-child.mjs";
import { median } from "./stats.mjs";
import { makeTree, touchOneFile } from "./upload-tree.mjs";

const FAP_PATH = "/srv/bench-upload";
const TAR_PATH = "/srv/bench-tar";
const RSYNC_PATH = "/srv/bench-rsync";

/** Deletes `paths` on every host through the local filesystem (untimed): big trees must not pile up. */
function wipe(hosts, paths) {
  for (const host of hosts.hosts) for (const p of paths) rmSync(host.local(p), { recursive: true, force: true });
}

function fapProject(dir, tree, hosts) {
  mkdirSync(path.join(dir, "node_modules/@fap"), { recursive: true });
  writeFileSync(path.join(dir, "deploy.yml"), [
    "plugins: [upload]", `upload_dir: ${JSON.stringify(tree)}`, `path: ${FAP_PATH}`, "keep_releases: 3", `parallel: ${hosts.length}`,
    "stage_role_configs:", "  bench:", "    app:", `      hosts: [${hosts.join(", ")}]`, "",
  ].join("\n"));
  return dir;
}

/** Whether `host` holds the tree's changed file and its last file as they are locally, under `dir`. */
function holdsTree(host, dir, tree) {
  return [tree.probeFile, tree.lastFile].every((file) => {
    const copy = host.local(`${dir}/${file}`);
    return existsSync(copy) && readFileSync(copy).equals(readFileSync(path.join(tree.dir, file)));
  });
}

/** One command per host, all at once; the time is the slowest's. */
async function perHost(hosts, commandFor) {
  const started = process.hrtime.bigint();
  const runs = await Promise.all(hosts.hosts.map((host) => runChild({ cmd: "sh", args: ["-c", commandFor(host)] })));
  const failed = runs.find((r) => r.code !== 0);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, ok: !failed, error: failed?.stderr.slice(-500) };
}

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

export async function benchUpload({ mb, files, hosts: count, runs, log }) {
  const work = mkdtempSync(path.join(os.tmpdir(), "fap-bench-upload-"));
  const started = await startHosts(count);
  const { hosts } = started;
  const ssh = `ssh -F ${q(hosts.sshConfigPath)}`;
  try {
    const big = makeTree(path.join(work, "big"), { mb, files });
    const small = makeTree(path.join(work, "small"), { mb: Math.max(1, Math.round(mb / 20)), files: Math.max(10, Math.round(files / 20)) });
    log(`upload: ${count} hosts up in ${started.ms} ms; tree ${big.files} files, ${(big.bytes / 1e6).toFixed(0)} MB`);
    // fap's hash cache keeps no file changed in the 2 s before a deploy (see plugin-upload's
    // hash-cache.ts); a build finishes before its deploy starts, so the tree is let settle too.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // fap's hash cache: in the bench's own folder, so "no hash cache" can empty it.
    const cacheHome = path.join(work, "cache");
    const env = { ...process.env, ...hosts.env, XDG_CACHE_HOME: cacheHome };
    const probeOut = path.join(work, "probe.json");
    const aliases = hosts.hosts.map((h) => h.alias);
    const fap = (tree) => fapCommand({ cwd: fapProject(path.join(work, `fap-${path.basename(tree)}`), tree, aliases), env, args: ["run", "deploy", "-s", "bench"], probeOut });
    const fapRun = async (tree) => {
      const run = await runChild(fap(tree));
      const { maxRssKiB, readBytes, cpuMs } = JSON.parse(readFileSync(probeOut, "utf8"));
      return { ms: run.ms, ok: run.code === 0, maxRssKiB, readBytes, cpuMs, error: run.code === 0 ? undefined : run.stderr.slice(-800) };
    };
    const variants = {
      fap: { first: () => fapRun(big.dir), redeploy: () => fapRun(big.dir), wipe: [FAP_PATH] },
      "fap, no hash cache": {
        first: () => fapRun(big.dir),
        redeploy: () => {
          rmSync(cacheHome, { recursive: true, force: true });
          return fapRun(big.dir);
        },
        wipe: [FAP_PATH],
      },
      "tar | ssh": {
        first: () => perHost(hosts, (h) => `tar -cf - -C ${q(big.dir)} . | ${ssh} ${h.alias} ${q(`mkdir -p ${TAR_PATH}/r && tar -xf - -C ${TAR_PATH}/r`)}`),
        redeploy: (n) => perHost(hosts, (h) => `tar -cf - -C ${q(big.dir)} . | ${ssh} ${h.alias} ${q(`mkdir -p ${TAR_PATH}/r${n} && tar -xf - -C ${TAR_PATH}/r${n}`)}`),
        wipe: [TAR_PATH],
      },
      rsync: {
        first: () => perHost(hosts, (h) => `rsync -a -e ${q(ssh)} ${q(`${big.dir}/`)} ${h.alias}:${RSYNC_PATH}/r0/`),
        redeploy: (n) => perHost(hosts, (h) => `rsync -a --link-dest=${RSYNC_PATH}/r${n - 1} -e ${q(ssh)} ${q(`${big.dir}/`)} ${h.alias}:${RSYNC_PATH}/r${n}/`),
        wipe: [RSYNC_PATH],
      },
    };
    const verified = {};
    const result = { hosts: count, files: big.files, bytes: big.bytes, runs, first: {}, redeploy: {}, memory: {} };
    for (const [name, v] of Object.entries(variants)) {
      result.first[name] = [];
      result.redeploy[name] = [];
      for (let i = 0; i < runs; i++) {
        wipe(hosts, v.wipe);
        if (name === "rsync") for (const h of hosts.hosts) mkdirSync(h.local(RSYNC_PATH), { recursive: true });
        const first = await v.first();
        result.first[name].push(first);
        touchOneFile(big.dir, i);
        const again = await v.redeploy(1);
        result.redeploy[name].push(again);
        if (i === runs - 1) verified[name] = holdsTree(hosts.hosts.at(-1), `${v.wipe[0]}/${name.startsWith("fap") ? "current" : "r1"}`, big);
        log(`upload: ${name} run ${i + 1}: first ${(first.ms / 1000).toFixed(2)} s, redeploy ${(again.ms / 1000).toFixed(2)} s${first.ok && again.ok ? "" : ` FAILED ${first.error ?? again.error}`}`);
      }
    }
    result.verified = Object.values(verified).every(Boolean);
    for (const [label, tree] of [["small", small], ["large", big]]) {
      wipe(hosts, [FAP_PATH]);
      const run = await fapRun(tree.dir);
      result.memory[label] = { files: tree.files, bytes: tree.bytes, maxRssKiB: run.maxRssKiB, ok: run.ok };
      log(`upload: fap peak RSS with the ${label} tree (${(tree.bytes / 1e6).toFixed(0)} MB): ${(run.maxRssKiB / 1024).toFixed(0)} MiB`);
    }
    wipe(hosts, [FAP_PATH, TAR_PATH, RSYNC_PATH]);
    const m = (kind, name) => median(result[kind][name].filter((r) => r.ok).map((r) => r.ms));
    result.ratios = {
      firstVsTar: m("first", "fap") / m("first", "tar | ssh"),
      redeployVsRsync: m("redeploy", "fap") / m("redeploy", "rsync"),
      redeployNoCacheVsRsync: m("redeploy", "fap, no hash cache") / m("redeploy", "rsync"),
    };
    return result;
  } finally {
    await hosts.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
