import os from "node:os";
import path from "node:path";

/** fap's folder in the user's cache: $FAP_CACHE_DIR, else $XDG_CACHE_HOME/fap, else ~/.cache/fap. */
export function fapCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FAP_CACHE_DIR) return env.FAP_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "fap");
}
