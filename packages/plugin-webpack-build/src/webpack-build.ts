import path from "node:path";
import { CORE_PLUGIN_NAME, FapError, type FapPlugin, type HostContext, type KeySpecs, type RunContext } from "@fap/core";
import { buildStageValues } from "@fap/core/internal";
import { compile } from "./compile.js";
import { loadWebpackConfig } from "./_load-config.js";
import { loadWebpack } from "./_load-webpack.js";
import { PLUGIN_NAME } from "./name.js";
import { webpackBuildKeys, type WebpackBuildOptions } from "./keys.js";
import { pack, type Bundle } from "./pack.js";
import { BUILD_KEYS, defaultTarget, readBuildSettings, readTarget, type BuildSettings } from "./settings.js";
import { shipCommand } from "./ship-command.js";

/**
 * Ships after every tap of the default stage of `updating` (git's export, curl's download and
 * install script), so the bundle lands over the code, and before `updated` (shared links, the
 * user's `hooks.updated`), which then sees a complete release.
 */
export const STAGE_SHIP = 100;

/** What the build stage produced for this run. */
interface Build {
  settings: BuildSettings;
  /** The build keys as they were read, for messages. */
  values: Readonly<Record<string, unknown>>;
  /** Default webpack_target: the output's place in the project. */
  target: string | undefined;
  /** Undefined under --dry-run: nothing was built. */
  bundle: Bundle | undefined;
}

/**
 * Builds with the project's own webpack once, locally, before any host is touched, packs the
 * output directory, and extracts that one archive into the release on every host over the
 * existing SSH connection. Nothing is compiled on the servers; they need only tar.
 */
export function webpackBuild(options: WebpackBuildOptions = {}): FapPlugin {
  const keys = webpackBuildKeys(options);
  // A fap instance runs one flow at a time; the build stage fills this, the host phases read it.
  let build: Build | undefined;

  return {
    name: PLUGIN_NAME,
    config: keys,
    apply({ hooks }) {
      hooks.building.tapPromise(PLUGIN_NAME, async (run) => {
        build = undefined;
        if (run.flow !== "deploy") return;
        build = await buildOnce(run, keys);
      });

      // Before core creates the release: a host whose keys ask for another build, or a bad
      // webpack_target, leaves nothing behind.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, before: CORE_PLUGIN_NAME }, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const built = builtFor(ctx, build);
        checkSameBuild(ctx, built);
        readTarget(ctx.config, built.target);
      });

      hooks.updating.tapPromise({ name: PLUGIN_NAME, stage: STAGE_SHIP }, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const built = builtFor(ctx, build);
        const target = readTarget(ctx.config, built.target);
        const release = ctx.paths.release;
        if (release === undefined) throw new FapError("E_PLUGIN", "no release to ship the bundle into", { host: ctx.host });
        if (built.bundle === undefined) {
          if (!ctx.dryRun) throw new FapError("E_PLUGIN", "no bundle was built in this run", { host: ctx.host });
          await ctx.run(shipCommand(release, target));
          return;
        }
        await ctx.run(shipCommand(release, target), { stdin: built.bundle.archive, quiet: true });
        ctx.record({ webpack_bundle: built.bundle.sha256 });
      });
    },
  };
}

async function buildOnce(run: RunContext, keys: KeySpecs): Promise<Build> {
  const values = buildStageValues(run.config, keys, BUILD_KEYS, "the build runs");
  const settings = readBuildSettings(values, process.cwd());
  const log = (message: string, level: "info" | "warn" = "info") => run.events.emit("log", { level, message });
  const started = Date.now();

  const webpack = await loadWebpack(settings.projectDir);
  const configs = await loadWebpackConfig(settings);
  const result = await compile(webpack, configs, { run: !run.dryRun, report: (text) => log(text, "warn") });
  const outputDir = settings.output ?? singleOutput(result.outputDirs, settings);
  const target = defaultTarget(settings.projectDir, outputDir);
  const shown = path.relative(process.cwd(), outputDir) || ".";
  if (run.dryRun) {
    log(`webpack ${webpack.version ?? ""} would build ${shown}/ in ${settings.mode} mode (dry run: nothing is built)`);
    return { settings, values, target, bundle: undefined };
  }
  const compiled = Date.now() - started;
  const bundle = await pack(outputDir);
  log(
    `webpack ${webpack.version ?? ""} built ${shown}/ in ${settings.mode} mode in ${seconds(compiled)}; ` +
      `${bundle.files} file${bundle.files === 1 ? "" : "s"}, ${size(bundle.bytes)}, packed ${size(bundle.archive.length)} ` +
      `in ${seconds(Date.now() - started - compiled)} (sha256 ${bundle.sha256.slice(0, 12)})`,
  );
  const [warning, ...more] = result.warnings;
  if (warning !== undefined) {
    log(`webpack warning: ${warning}${more.length > 0 ? ` (and ${more.length} more warning${more.length > 1 ? "s" : ""})` : ""}`, "warn");
  }
  return { settings, values, target, bundle };
}

function singleOutput(outputDirs: readonly string[], settings: BuildSettings): string {
  const distinct = [...new Set(outputDirs)];
  if (distinct.length === 1 && distinct[0]) return distinct[0];
  throw new FapError("E_CONFIG", `the webpack config writes to ${distinct.length} directories: ${distinct.join(", ")}`, {
    hint: `set webpack_output: to the one directory to ship (relative to ${settings.projectDir})`,
  });
}

function builtFor(ctx: HostContext, build: Build | undefined): Build {
  if (build === undefined) {
    throw new FapError("E_PLUGIN", "the build stage did not run", {
      host: ctx.host,
      hint: "this flow calls no building hook; deploy with `fap run deploy`",
    });
  }
  return build;
}

/**
 * webpack ran before the hosts were chosen, from the plugin's options and the top level; a
 * host whose stage, role or command line asks for another build must not get this one.
 */
function checkSameBuild(ctx: HostContext, built: Build): void {
  const here = readBuildSettings(ctx.config, process.cwd());
  const differs: Record<(typeof BUILD_KEYS)[number], boolean> = {
    webpack_project_dir: here.projectDir !== built.settings.projectDir,
    webpack_config: here.configFile !== built.settings.configFile,
    webpack_mode: here.mode !== built.settings.mode,
    webpack_output: here.output !== built.settings.output,
  };
  const key = BUILD_KEYS.find((k) => differs[k]);
  if (key === undefined) return;
  const shown = (value: unknown) => (value === undefined || value === null || value === "" ? "unset" : `'${String(value)}'`);
  throw new FapError(
    "E_CONFIG",
    `${key} is ${shown(ctx.config[key])} for ${ctx.stage}.${ctx.role}, but webpack runs once, before the hosts are chosen, with ${shown(built.values[key])}`,
    {
      host: ctx.host,
      hint: "set webpack_project_dir, webpack_config, webpack_mode and webpack_output in webpackBuild({...}) or at the top level of the config, not per stage, role or on the command line",
    },
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
