import { readFileSync } from "node:fs";
import path from "node:path";
import { FapError, isFapError, readKeys, sh, type DoctorVerdict, type PluginDoctorCheck } from "@fap/core";
import { checkEngines } from "./engines.js";
import { NODE_KEYS } from "./keys.js";
import type { PackageJson } from "./probe-command.js";

/**
 * `fap doctor`: the host's node against the app's engines.node, as a deploy would check it
 * in the release. The app is the local project's package.json (what the next deploy ships);
 * without one, the current release's. A host without node is the `node` tool check's finding.
 */
export const enginesCheck: PluginDoctorCheck = {
  name: "engines.node",
  probe: ({ config, paths }) => {
    if (!readKeys(config, NODE_KEYS).node_check_engines) return undefined;
    return sh`node --version 2>/dev/null || echo; cat ${`${paths.current}/package.json`} 2>/dev/null; exit 0`;
  },
  verdict: ({ stdout }, { host, config }) => {
    const [version = "", ...rest] = stdout.split("\n");
    const nodeVersion = version.trim();
    if (nodeVersion === "") return undefined;
    const projectDir = path.resolve(readKeys(config, NODE_KEYS).node_project_dir ?? ".");
    const app = localPackage(projectDir) ?? releasePackage(rest.join("\n"));
    if (app === undefined) return { ok: true, message: `node ${nodeVersion} (no package.json in ${projectDir} or the current release: nothing to check it against)` };
    if (app.json.engines?.node === undefined) return { ok: true, message: `node ${nodeVersion} (${app.where} sets no engines.node)` };
    try {
      checkEngines(host, app.json, nodeVersion);
    } catch (error) {
      if (!isFapError(error)) throw error;
      return failure(`${error.message} (${app.where})`, error.hint);
    }
    return { ok: true, message: `node ${nodeVersion} satisfies engines.node ${String(app.json.engines.node)} (${app.where})` };
  },
};

interface App {
  json: PackageJson;
  /** Which package.json, for the message. */
  where: string;
}

function localPackage(projectDir: string): App | undefined {
  const file = path.join(projectDir, "package.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  return { json: parse(text, file), where: path.relative(process.cwd(), file) || file };
}

function releasePackage(text: string): App | undefined {
  if (text.trim() === "") return undefined;
  const where = "the current release's package.json";
  return { json: parse(text, where), where };
}

function parse(text: string, where: string): PackageJson {
  try {
    return JSON.parse(text) as PackageJson;
  } catch (error) {
    throw new FapError("E_CONFIG", `${where} is not JSON: ${error instanceof Error ? error.message : String(error)}`, { hint: "fix package.json" });
  }
}

function failure(message: string, hint: string | undefined): DoctorVerdict {
  return hint === undefined ? { ok: false, message } : { ok: false, message, hint };
}
