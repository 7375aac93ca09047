import { CORE_PLUGIN_NAME, type FapPlugin, type HostContext } from "@fap/core";
import { runReload } from "./_run-reload.js";
import { pm2Keys, type Pm2Options } from "./keys.js";
import { PLUGIN_NAME } from "./name.js";
import { deleteCommand, liveReleaseCommand } from "./reload-command.js";
import { readSettings } from "./settings.js";
import { pm2Tasks } from "./tasks.js";

/**
 * pm2 runs the Node app. Once the release is live (`published`), the app is started or
 * reloaded from `current` (one process after another in cluster mode: no downtime) and the
 * deploy waits until every process stays online; a crash loop fails it with the app's last
 * log lines. Core then puts `current` back, and this plugin reloads the app there.
 */
export function pm2(options: Pm2Options = {}): FapPlugin {
  // Per host of a run: the release the app was reloaded into, for `failed` to undo.
  const reloadedInto = new WeakMap<HostContext, string | undefined>();

  return {
    name: PLUGIN_NAME,
    config: pm2Keys(options),
    tasks: pm2Tasks,
    // pm2 itself may be anywhere (pm2_bin); it needs node.
    requires: ["node"],
    apply({ hooks }) {
      // Before core creates the release, so a bad value leaves nothing behind on any host.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, before: CORE_PLUGIN_NAME }, async (ctx) => {
        if (ctx.flow === "deploy" || ctx.flow === "rollback") readSettings(ctx.config);
      });

      hooks.published.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy" && ctx.flow !== "rollback") return;
        const settings = readSettings(ctx.config);
        reloadedInto.set(ctx, ctx.release.id);
        await runReload(ctx, settings);
      });

      hooks.restarting.tapPromise(PLUGIN_NAME, async (ctx) => {
        await runReload(ctx, readSettings(ctx.config));
      });

      hooks.failed.tapPromise(PLUGIN_NAME, async (_error, run) => {
        const touched = run.hosts.filter((ctx) => reloadedInto.has(ctx));
        await Promise.all(touched.map((ctx) => putBack(ctx, reloadedInto.get(ctx))));
      });
    },
  };
}

/**
 * After a failed run: if `current` no longer points at the release the app was reloaded into
 * (core switched it back), reload the app there; with no live release (a first deploy
 * undone), delete it from pm2. Never throws: the run's own error is the one to report.
 */
async function putBack(ctx: HostContext, reloadedInto: string | undefined): Promise<void> {
  const settings = readSettings(ctx.config);
  try {
    const result = await ctx.run(liveReleaseCommand(ctx.paths.current), { allowFailure: true, quiet: true });
    const live = result.stdout.trim().replace(/\/+$/, "").split("/").pop() || undefined;
    if (live === reloadedInto) return;
    if (live === undefined) {
      await ctx.run(deleteCommand(settings), { allowFailure: true, quiet: true });
      ctx.log(`deleted ${settings.name} from pm2: no release is live`, "warn");
      return;
    }
    await runReload(ctx, settings);
    ctx.log(`${settings.name} runs release ${live} again`, "warn");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`could not put ${settings.name} back on the live release: ${message}`, "warn");
  }
}
