import { rmSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { CORE_PLUGIN_NAME, FapError, type FapPlugin, type HostContext, type RunContext } from "@fap/core";
import { buildStageValues, formatAddress } from "@fap/core/internal";
import { unpackArchive } from "./archive.js";
import { Broadcast } from "./broadcast.js";
import { excluder } from "./exclude.js";
import type { ContentEntry } from "./host-plan.js";
import { uploadKeys, type UploadOptions } from "./keys.js";
import { FileHashes } from "./file-hashes.js";
import { hashCacheDir, loadHashCache, type HashCache } from "./hash-cache.js";
import { PLUGIN_NAME } from "./name.js";
import { differingKey, readSettings, SOURCE_KEYS, type UploadSettings } from "./settings.js";
import { count, shipTo, size, type Shipment } from "./ship.js";
import { scanTree, type FileEntry } from "./tree.js";

/**
 * After the default stage of `updating` (git's export), so the upload lands over the code, and
 * before webpack-build's bundle (stage 100), which then lands over the upload.
 */
export const STAGE_UPLOAD = 50;

/**
 * Ships a local folder (or archive) into every new release over fap's own SSH connection: the
 * tree is walked once, before any host is touched; each host then gets, in one tar stream, the
 * files its current release does not hold unchanged, and hard links for the rest. A file is
 * hashed when a host holds one of the same path and size, or while it is sent, or not at all
 * when the hash cache knows it unchanged since the last upload from this machine.
 */
export function upload(options: UploadOptions = {}): FapPlugin {
  const keys = uploadKeys(options);
  // A fap instance runs one flow at a time; the build stage fills this, the host phases read it.
  let prepared: { settings: UploadSettings; shipment: Shipment } | undefined;
  let removeUnpacked: (() => void) | undefined;
  const cleanUp = () => {
    removeUnpacked?.();
    removeUnpacked = undefined;
  };

  return {
    name: PLUGIN_NAME,
    config: keys,
    requires: ["tar"],
    apply({ hooks }) {
      hooks.building.tapPromise(PLUGIN_NAME, async (run) => {
        prepared = undefined;
        cleanUp();
        if (run.flow !== "deploy") return;
        const settings = readSettings(buildStageValues(run.config, keys, SOURCE_KEYS, "the tree is read"), process.cwd());
        const dir = await sourceDir(settings, (remove) => (removeUnpacked = remove));
        let cache: HashCache | undefined;
        const readAt = Date.now();
        // An archive is unpacked anew each run (new inodes): a cache of it would never answer.
        const loadCache = settings.archive === undefined ? async (root: string) => (cache = await loadHashCache(hashCacheDir(), root, readAt)) : undefined;
        const tree = await scanTree(dir, excluder(settings.exclude), loadCache);
        const content = tree.entries.filter((entry): entry is ContentEntry => entry.kind !== "dir");
        const shown = path.relative(process.cwd(), settings.archive ?? settings.dir ?? dir) || ".";
        const shipment: Shipment = { tree, hashes: new FileHashes(tree.root), cache, broadcast: new Broadcast(tree.root, content), shown };
        prepared = { settings, shipment };
        const cached = cache !== undefined && cache.hits > 0 ? ` (${count(cache.hits, "hash", "hashes")} cached)` : "";
        log(run, `${run.dryRun ? "would upload" : "uploading"} ${count(tree.files, "file")} (${size(tree.bytes)}) from ${shown}${cached}`);
        if (tree.skipped.length > 0) log(run, `not shipped (not a file, folder or symlink): ${tree.skipped.slice(0, 5).join(", ")}${tree.skipped.length > 5 ? ", ..." : ""}`, "warn");
      });

      // Before core creates the release: a host whose keys ask for another tree leaves nothing behind.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, before: CORE_PLUGIN_NAME }, async (ctx) => {
        if (ctx.flow === "deploy") checkSameTree(ctx, preparedFor(ctx, prepared));
      });

      hooks.updating.tapPromise({ name: PLUGIN_NAME, stage: STAGE_UPLOAD }, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const { shipment } = preparedFor(ctx, prepared);
        const id = ctx.release.id;
        if (id === undefined) throw new FapError("E_PLUGIN", "no release to upload into", { host: ctx.host });
        // Roles sharing a host and path share one release: the tree goes into it once.
        await ctx.once(`${PLUGIN_NAME} ship\0${formatAddress(ctx.remote.resolved)}\0${ctx.paths.releases}/${id}`, () => shipTo(ctx, shipment, { releases: ctx.paths.releases, id }));
      });

      hooks.completed.tapPromise(PLUGIN_NAME, async () => {
        // Whatever was hashed (by a failed run too) saves the next run reading it again.
        const shipment = prepared?.shipment;
        if (shipment?.cache !== undefined) await shipment.cache.save(shipment.tree.entries.filter((entry): entry is FileEntry & Required<FileEntry> => entry.kind === "file" && entry.identity !== undefined));
        cleanUp();
      });
      // A run that ends before `completed` (an error in the build stage) still leaves no temporary folder.
      process.once("exit", cleanUp);
    },
  };
}

function log(run: RunContext, message: string, level: "info" | "warn" = "info"): void {
  run.events.emit("log", { level, message });
}

/** The folder to read: upload_dir, or upload_archive unpacked into a temporary one. */
async function sourceDir(settings: UploadSettings, unpacked: (remove: () => void) => void): Promise<string> {
  if (settings.archive !== undefined) {
    const { dir } = await unpackArchive(settings.archive);
    // Synchronous: it may run from process.on("exit").
    unpacked(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  const dir = settings.dir!;
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new FapError("E_CONFIG", `upload_dir ${path.relative(process.cwd(), dir) || dir} is not a folder${info ? "" : " (it does not exist)"}`, {
      hint: `build first, or set upload_dir: to the folder to ship (relative to ${process.cwd()})`,
    });
  }
  return dir;
}

function preparedFor<T>(ctx: HostContext, prepared: T | undefined): T {
  if (prepared === undefined) {
    throw new FapError("E_PLUGIN", "the build stage did not run", { host: ctx.host, hint: "this flow calls no building hook; deploy with `fap run deploy`" });
  }
  return prepared;
}

function checkSameTree(ctx: HostContext, prepared: { settings: UploadSettings }): void {
  const key = differingKey(readSettings(ctx.config, process.cwd()), prepared.settings);
  if (key === undefined) return;
  throw new FapError("E_CONFIG", `${key} differs for ${ctx.stage}.${ctx.role}, but the tree is read once, before the hosts are chosen`, {
    host: ctx.host,
    hint: "set upload_dir, upload_archive and upload_exclude in upload({...}) or at the top level of the config, not per stage, role or on the command line",
  });
}
