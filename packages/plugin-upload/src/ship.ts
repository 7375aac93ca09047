import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import { isFapError, type HostContext } from "@fap/core";
import type { Broadcast } from "./broadcast.js";
import { extractCommand, readManifestCommand } from "./commands.js";
import { HostPlan } from "./host-plan.js";
import { parseManifest } from "./manifest.js";
import type { Tree } from "./tree.js";

/** What the build stage read, shared by every host of the run. */
export interface Shipment {
  tree: Tree;
  /** The manifest every release of this run gets, and its sha256 for the release log. */
  manifest: Buffer;
  manifestSha256: string;
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
    shipment.broadcast.join({ out, headerFor: (entry) => plan.headerFor(entry), wants: (entry) => plan.wants(entry), finish: () => out.end(plan.closing(shipment.manifest, manifestTime)) }).catch(cut),
    ctx.run(command, { stdin: out, quiet: true }).catch(cut),
  ]);
  // A local failure (a file changed under us) says more than the tar it cut short.
  if (sent.status === "rejected" && isFapError(sent.reason)) throw sent.reason;
  if (ran.status === "rejected") throw ran.reason;
  if (sent.status === "rejected") throw sent.reason;
  ctx.record({ upload_manifest: shipment.manifestSha256 });
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

export function manifestHash(manifest: Buffer): string {
  return createHash("sha256").update(manifest).digest("hex");
}

export function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
