// The upload bench's tree: `files` files of `mb` MB in all, sizes spread from 0.2x to 1.8x the
// mean, 100 to a folder, two folders deep; random bytes, so no compression anywhere helps.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const fileOf = (i) => `app/part${Math.floor(i / 1000)}/dir${Math.floor(i / 100) % 10}/file${i}.bin`;

export function makeTree(dir, { mb, files }) {
  const mean = (mb * 1e6) / files;
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const size = Math.round(mean * (0.2 + (1.6 * ((i * 7919) % 1000)) / 1000));
    const file = path.join(dir, fileOf(i));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(size));
    bytes += size;
  }
  return { dir, files, bytes, probeFile: fileOf(0), lastFile: fileOf(files - 1) };
}

/** Rewrites one file (the same one each time: fileOf(0)) with new bytes: the redeploy's one change. */
export function touchOneFile(dir, run) {
  writeFileSync(path.join(dir, fileOf(0)), Buffer.concat([Buffer.from(`run ${run}\n`), randomBytes(40_000)]));
}
