import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import { isFapError, type HostContext } from "@fap/core";
import type { Broadcast } from "./broadcast.js";
import { extractCommand, readManifestCommand } from "./commands.js";
import type { FileHashes } from "./file-hashes.js";
import type { HashCache } from "./hash-cache.js";
import { HostPlan, linkCandidates } from "./host-plan.js";
import { manifestText, parseManifest } from "./manifest.js";
import type { Tree } from "./tree.js";

/** What the build stage read, shared by every host of the run. */
export interface Shipment {
  tree: Tree;
  /** Hashes the files a host may link instead of being sent (the broadcast hashes the rest). */
  hashes: FileHashes;
  /** The hashes known from the last upload of this folder; undefined for an archive (unpacked anew each run). */
  cache: HashCache | undefined;
  broadcast: Broadcast;
  /** Shown in messages: the folder or archive as the user named it. */
  shown: string;
}

/** A manifest larger than this reads as garbled (the host then gets everything): ~2 million files. */
const MANIFEST_LIMIT = 256 * 1024 * 1024;
/** Bytes a host's stream may hold before the broadcast waits for it. */
const STREAM_BUFFER = 1024 * 1024;

/**
 * Fills `ctx`'s new release: one round trip reads the current release's manifest, then one
 * tar stream brings what this host lacks and hard-links what it holds unchanged.
 */
export async function shipTo(ctx: HostContext, shipment: Shipment, release: { releases: string; id: string }): Promise<void> {
  const started = Date.now();
  const previous = await previousFiles(ctx, release);
  if (previous !== undefined) await shipment.hashes.fill(linkCandidates(shipment.tree.entries, previous.files));
  const plan = new HostPlan(release.id, previous, shipment.tree.entries);
  const linked = plan.link > 0 && previous ? `, hard-linked ${count(plan.link, "unchanged file")} from ${previous.id}` : "";
  const command = extractCommand(release.releases);
  if (ctx.dryRun) {
    ctx.log(`would send ${count(plan.send, "file")} (${size(plan.sendBytes)})${linked} from ${shipment.shown}`);
    await ctx.run(command);
    return;
  }
  const out = new PassThrough({ highWaterMark: STREAM_BUFFER });
  out.write(plan.folders(shipment.tree.entries));
  const manifestTime = Math.floor(Date.now() / 1000);
  const cut = (error: unknown) => {
    out.destroy();
    throw error;
  };
  const [sent, ran] = await Promise.allSettled([
    shipment.broadcast.join({ out, headerFor: (entry) => plan.headerFor(entry), wants: (entry) => plan.wants(entry), finish: () => out.end(plan.closing(manifestOf(shipment).text, manifestTime)) }).catch(cut),
    ctx.run(command, { stdin: out, quiet: true }).catch(cut),
  ]);
  // A local failure (a file changed under us) says more than the tar it cut short.
  if (sent.status === "rejected" && isFapError(sent.reason)) throw sent.reason;
  if (ran.status === "rejected") throw ran.reason;
  if (sent.status === "rejected") throw sent.reason;
  ctx.record({ upload_manifest: manifestOf(shipment).sha256 });
  ctx.log(`sent ${count(plan.send, "file")} (${size(plan.sendBytes)})${linked} in ${((Date.now() - started) / 1000).toFixed(2)} s`);
}

/** The files the host's current release holds by its manifest; undefined: send everything. */
async function previousFiles(ctx: HostContext, release: { releases: string; id: string }) {
  const id = ctx.before.current;
  if (id === undefined || id === release.id) return undefined;
  const result = await ctx.run(readManifestCommand(`${release.releases}/${id}`), { readOnly: true, quiet: true, keepBytes: MANIFEST_LIMIT });
  const files = result.stdoutBytes === undefined ? parseManifest(result.stdout) : undefined;
  if (files === undefined) {
    // Under --dry-run without a real host the read sees nothing: no note for that.
    if (!ctx.dryRun || result.stdout !== "") ctx.log(`${id} has no readable upload manifest: sending every file`);
    return undefined;
  }
  return { id, files };
}

const manifests = new WeakMap<Shipment, { text: Buffer; sha256: string }>();

/**
 * The manifest every release of this run gets, and its sha256 for the release log: written when
 * the first host has had every entry go by, so every file has been hashed (linked or sent).
 */
function manifestOf(shipment: Shipment): { text: Buffer; sha256: string } {
  let manifest = manifests.get(shipment);
  if (manifest === undefined) {
    const text = Buffer.from(manifestText(shipment.tree.entries));
    manifest = { text, sha256: createHash("sha256").update(text).digest("hex") };
    manifests.set(shipment, manifest);
  }
  return manifest;
}

export function count(n: number, what: string, plural = `${what}s`): string {
  return `${n} ${n === 1 ? what : plural}`;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
