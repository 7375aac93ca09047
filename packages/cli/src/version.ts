import { readFileSync } from "node:fs";

let version: string | undefined;

/** @fap/cli's version, from its package.json. */
export function fapVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}
