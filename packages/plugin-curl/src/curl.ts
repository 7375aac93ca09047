import { FapError, writeThroughError, type FapPlugin } from "@fap/core";
import { releasePlugin } from "@fap/core/internal";
import { curlConfig, downloadCommand } from "./download-command.js";
import { downloadError, postinstallError } from "./failure.js";
import { PLUGIN_NAME } from "./name.js";
import { curlKeys, type CurlOptions } from "./keys.js";
import { readSettings } from "./settings.js";

/**
 * Deploys a built artifact: each host downloads it from `curl_url` into the new release,
 * extracts it, and runs its post-install script there. `options` become the defaults of the
 * plugin's keys, so YAML, stages, roles and the command line (`--curl-url=...`) override them.
 */
export function curl(options: CurlOptions = {}): FapPlugin {
  const plugin = { name: PLUGIN_NAME, config: curlKeys(options) };
  // A missing curl_url fails the deploy before any host holds anything of it.
  return releasePlugin(plugin, (ctx) => readSettings(ctx.config), (hooks) => {
    hooks.updating.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.flow !== "deploy") return;
      const settings = readSettings(ctx.config);
      const release = ctx.paths.release;
      if (release === undefined) throw new FapError("E_PLUGIN", "no release to download into", { host: ctx.host });

      const stdin = settings.user === undefined ? {} : { stdin: curlConfig(settings.user) };
      const download = await ctx.run(downloadCommand(settings), { cwd: release, allowFailure: true, quiet: true, ...stdin });
      if (download.exitCode !== 0) {
        const details = { exitCode: download.exitCode, stderr: download.stderr };
        throw writeThroughError(ctx.host, download.exitCode, download.stderr.trim().split("\n").pop() ?? "", details) ?? downloadError(download, settings, ctx.host);
      }
      ctx.log(`downloaded ${settings.url}${settings.extract ? " and extracted it" : ` to ${settings.output}`}`);
      ctx.record({ artifact: settings.url });

      if (settings.postinstallScript === undefined) return;
      // The user's own shell command, as they wrote it (like `hooks`); its output is theirs to show or hide.
      const script = await ctx.run(settings.postinstallScript, { cwd: release, allowFailure: true, quiet: !settings.postinstallOutput });
      if (script.exitCode !== 0) throw postinstallError(script, settings, ctx.host);
    });
  });
}
