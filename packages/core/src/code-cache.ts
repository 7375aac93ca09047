import { createHash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { fapCacheDir } from "./cache-dir.js";

/**
 * Where fap keeps compiled code: the folder the bin gives Node's own compile cache, in the
 * user's cache folder (never a shared temp folder, where another user could plant code).
 * Undefined with NODE_DISABLE_COMPILE_CACHE=1, which turns Node's off too.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.NODE_DISABLE_COMPILE_CACHE ? undefined : path.join(fapCacheDir(env), "v8");
}

/**
 * Requires a CommonJS file with a V8 code cache kept in `cacheDir`, made as the first run that
 * loads the file ends: by then V8 has compiled every function that run called, and the cache
 * holds them all, so the next runs skip parsing and compiling the file's top level and those
 * functions. fap's own code and ssh2's copy are loaded so (@fap/core's dist/fap-core.cjs,
 * @fap/ssh's dist/fap-ssh.cjs and dist/fap-ssh2.cjs, scripts/bundle.mjs): an ES module cannot
 * have such a cache on Node 20, and on Node 22 Node's own compile cache (the bin turns it on)
 * saved ~6 ms less on ssh2's copy than this one. A one-host deploy: ~22 ms of CPU less
 * (docs/performance.md).
 *
 * A cache is used only for the file's exact text (V8 itself checks only its length), this Node
 * and this architecture, and when this user made it; one that V8 rejects is written again.
 * Without a cache folder, with source maps on (--debug: stacks name the sources only for files
 * Node loads itself), or once the file is loaded already, it is a plain require. Failing to
 * read or write the cache never fails the run.
 */
export function requireWithCodeCache(file: string, cacheDir: string | undefined): unknown {
  const require = createRequire(file);
  // Loaded already (by another copy of the caller, or a tool that wraps its exports): that one.
  const loaded = require.cache[file];
  if (loaded !== undefined) return loaded.exports;
  if (cacheDir === undefined || process.sourceMapsEnabled) return require(file);
  const source = readFileSync(file, "utf8");
  const digest = createHash("sha256").update(source).digest();
  const cacheFile = path.join(cacheDir, `${path.basename(file)}-${process.version}-${process.arch}.v8`);
  const cachedData = readCache(cacheFile, digest);
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  try {
    (script.runInThisContext() as CommonJsWrapper)(module.exports, require, module, file, path.dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  module.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected === true) process.once("exit", () => writeCache(cacheFile, digest, script));
  return module.exports;
}

type CommonJsWrapper = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

/**
 * The cache's V8 data, when the cache was made from text with this digest, by this user: V8
 * runs what a cache holds, so one that another user owns or could write (FAP_CACHE_DIR naming a
 * shared folder) is not used.
 */
function readCache(cacheFile: string, digest: Buffer): Buffer | undefined {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(cacheFile, "r");
    const { uid, mode } = fstatSync(fd);
    if (process.getuid !== undefined && (uid !== process.getuid() || (mode & 0o022) !== 0)) return undefined;
    bytes = readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return bytes.length > digest.length && bytes.subarray(0, digest.length).equals(digest) ? bytes.subarray(digest.length) : undefined;
}

/** The digest, then V8's data; written whole or not at all (another run may be reading it). */
function writeCache(cacheFile: string, digest: Buffer, script: vm.Script): void {
  const partial = `${cacheFile}.${process.pid}`;
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    writeFileSync(partial, Buffer.concat([digest, script.createCachedData()]), { mode: 0o600 });
    renameSync(partial, cacheFile);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Not even a folder to write in: nothing was written.
    }
  }
}
