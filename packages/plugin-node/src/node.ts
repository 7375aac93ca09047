import path from "node:path";
import { CORE_PLUGIN_NAME, FapError, type FapPlugin, type HostContext, type KeySpecs, type RunContext } from "@fap/core";
import { enginesCheck } from "./doctor-check.js";
import { checkEngines } from "./engines.js";
import { installCommand, LINKED_NODE_MODULES_EXIT } from "./install-command.js";
import { nodeKeys, type NodeOptions } from "./keys.js";
import { buildLocally, wantsBuild, type Built } from "./local-build.js";
import { PLUGIN_NAME } from "./name.js";
import { choosePackageManager } from "./package-manager.js";
import { parseProbe, probeCommand } from "./probe-command.js";
import { readSettings, type NodeSettings } from "./settings.js";
import { shipCommand } from "./ship-command.js";

/** After every tap of the default stage of `updating` (git's export), as webpack-build ships. */
export const STAGE_SHIP = 100;

/** Lines of a failed install's output shown with the error. */
const OUTPUT_LINES = 15;

/**
 * A Node app's dependencies, installed in each release from its lockfile (`npm ci`, pnpm or
 * yarn) with a cache in shared/ that every release reuses, on a node that satisfies its
 * engines.node. Built once, locally, before any host is touched (node_build: local), and the
 * output shipped with the release; or built on each host (node_build: host).
 */
export function node(options: NodeOptions = {}): FapPlugin {
  const keys = nodeKeys(options);
  // A fap instance runs one flow at a time; the build stage fills this, the host phases read it.
  let built: Built | undefined;
  // node_build as the build stage read it (the top level): every host must agree.
  let buildMode: NodeSettings["build"] | undefined;

  return {
    name: PLUGIN_NAME,
    config: keys,
    requires: ["node"],
    doctor: [enginesCheck],
    apply({ hooks }) {
      hooks.building.tapPromise(PLUGIN_NAME, async (run) => {
        built = undefined;
        buildMode = undefined;
        if (run.flow !== "deploy") return;
        buildMode = topLevelSettings(run, keys).build;
        built = await buildOnce(run, keys);
      });

      // Before core creates the release, so a bad value leaves nothing behind on any host.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, before: CORE_PLUGIN_NAME }, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const here = readSettings(ctx.config).build;
        if (buildMode !== undefined && here !== buildMode) {
          throw new FapError("E_CONFIG", `node_build is ${here} here (its stage, role or the command line), but the build stage ran with the top level's ${buildMode}`, {
            host: ctx.host,
            hint: "node_build is read once, for every host: set it at the top level of the config (or node({ build }) in deploy.config.ts), not per stage, role or on the command line",
          });
        }
      });

      hooks.updating.tapPromise({ name: PLUGIN_NAME, stage: STAGE_SHIP }, async (ctx) => {
        if (ctx.flow !== "deploy" || built === undefined) return;
        await ctx.run(shipCommand(releasePathOf(ctx), built.output), { stdin: built.archive, quiet: true });
        ctx.record({ node_build: built.sha256 });
      });

      // After core's shared links (an .npmrc kept in shared/ is there), before the user's `updated` commands.
      hooks.updated.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow === "deploy") await installOnHost(ctx, readSettings(ctx.config));
      });
    },
  };
}

/** The top level's keys: what the build stage, before any host is chosen, can read. */
function topLevelSettings(run: RunContext, keys: KeySpecs): NodeSettings {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(keys)) values[name] = run.config[name] ?? spec.default;
  return readSettings(values, { forBuild: true });
}

async function buildOnce(run: RunContext, keys: KeySpecs): Promise<Built | undefined> {
  const settings = topLevelSettings(run, keys);
  if (settings.build !== "local") return undefined;
  const projectDir = path.resolve(settings.projectDir);
  const log = (message: string) => run.events.emit("log", { level: "info", message });
  if (!(await wantsBuild(settings, projectDir))) {
    log(`no build script in ${path.relative(process.cwd(), projectDir) || "."}/package.json: nothing to build`);
    return undefined;
  }
  if (run.dryRun) {
    log(`would run \`${settings.buildCommand}\` locally and ship ${settings.buildOutput}/ (dry run: nothing is built)`);
    return undefined;
  }
  const started = Date.now();
  const result = await buildLocally(settings, projectDir);
  log(`built locally with \`${settings.buildCommand}\` in ${((Date.now() - started) / 1000).toFixed(1)} s: ${settings.buildOutput}/, ${size(result.archive.length)} packed (sha256 ${result.sha256.slice(0, 12)})`);
  return result;
}

async function installOnHost(ctx: HostContext, settings: NodeSettings): Promise<void> {
  const release = releasePathOf(ctx);
  const probe = parseProbe((await ctx.run(probeCommand(release), { quiet: true, readOnly: true })).stdout);
  if (ctx.dryRun && probe.packageJson === undefined) return;
  if (probe.packageJsonError !== undefined) {
    throw new FapError("E_CONFIG", `the release's package.json is not JSON: ${probe.packageJsonError}`, { host: ctx.host });
  }
  if (probe.packageJson === undefined) {
    throw new FapError("E_CONFIG", "the release has no package.json", { host: ctx.host, hint: "deploy a Node app (its package.json at the root of the repository), or remove node from plugins" });
  }
  if (settings.checkEngines) checkEngines(ctx.host, probe.packageJson, probe.nodeVersion);
  const hasBuildScript = typeof probe.packageJson.scripts?.build === "string";
  const build = settings.build === "host" && (hasBuildScript || !settings.defaultBuildCommand) ? settings.buildCommand : undefined;
  if (!settings.install && build === undefined) return;
  const manager = choosePackageManager(ctx.host, settings.packageManager, probe);
  const started = Date.now();
  const result = await ctx.run(installCommand(release, manager, settings.cacheDir, build), { quiet: true, allowFailure: true });
  if (ctx.dryRun) return;
  if (result.exitCode !== 0) {
    const lines = `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => line.trim() !== "").slice(-OUTPUT_LINES);
    if (result.exitCode === LINKED_NODE_MODULES_EXIT) {
      throw new FapError("E_CONFIG", lines.at(-1) ?? "node_modules in the release is a symlink", { host: ctx.host, hint: "remove node_modules from the repository (git rm --cached node_modules) and list it in .gitignore" });
    }
    for (const line of lines) ctx.log(`  ${line}`, "warn");
    throw new FapError("E_COMMAND_FAILED", `${build === undefined ? `${manager} install` : `${manager} install and build`} failed (exit ${result.exitCode}): ${lines.at(-1)?.trim() ?? "no output"}`, {
      host: ctx.host,
      hint: `run it in the release on ${ctx.host} to see why`,
      details: { exitCode: result.exitCode },
    });
  }
  const what = build === undefined ? "production dependencies" : `dependencies, \`${build}\`, dev dependencies dropped`;
  ctx.log(`${manager}: ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${probe.nodeVersion ?? "?"})`);
}

function releasePathOf(ctx: HostContext): string {
  const releasePath = ctx.paths.release;
  if (releasePath === undefined) throw new FapError("E_PLUGIN", "this run has no release", { host: ctx.host });
  return releasePath;
}

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
