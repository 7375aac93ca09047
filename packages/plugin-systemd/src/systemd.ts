import { CORE_PLUGIN_NAME, type FapPlugin, type HostContext } from "@fap/core";
import { runUnits } from "./_run-units.js";
import { liveReleaseCommand, stopCommand } from "./command.js";
import { systemdKeys, type SystemdOptions } from "./keys.js";
import { PLUGIN_NAME } from "./name.js";
import { readSettings } from "./settings.js";
import { systemdTasks } from "./tasks.js";

/**
 * systemd runs the app: its unit's ExecStart goes through `current`. Once the release is live
 * (`published`), the units are restarted (or reloaded) and the deploy waits until they stay
 * active; a crash loop fails it with the unit's journal. Core then puts `current` back, and this
 * plugin restarts the units there, so the old release runs again.
 */
export function systemd(options: SystemdOptions = {}): FapPlugin {
  // Per host of a run: the release the units were restarted into, for `failed` to undo.
  const restartedInto = new WeakMap<HostContext, string | undefined>();

  return {
    name: PLUGIN_NAME,
    config: systemdKeys(options),
    tasks: systemdTasks,
    requires: ["systemctl", "journalctl"],
    apply({ hooks }) {
      // Before core creates the release, so a bad value leaves nothing behind on any host.
      hooks.starting.tapPromise({ name: PLUGIN_NAME, before: CORE_PLUGIN_NAME }, async (ctx) => {
        if (ctx.flow === "deploy" || ctx.flow === "rollback") readSettings(ctx.config);
      });

      hooks.published.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy" && ctx.flow !== "rollback") return;
        restartedInto.set(ctx, ctx.release.id);
        await runUnits(ctx, readSettings(ctx.config));
      });

      hooks.restarting.tapPromise(PLUGIN_NAME, async (ctx) => {
        await runUnits(ctx, readSettings(ctx.config));
      });

      hooks.failed.tapPromise(PLUGIN_NAME, async (_error, run) => {
        const touched = run.hosts.filter((ctx) => restartedInto.has(ctx));
        await Promise.all(touched.map((ctx) => putBack(ctx, restartedInto.get(ctx))));
      });
    },
  };
}

/**
 * After a failed run: if `current` no longer points at the release the units were restarted
 * into (core switched it back), restart them there (a reload would keep the failed release's
 * process where it still runs); with no live release (a first deploy undone), stop them.
 * Never throws: the run's own error is the one to report.
 */
async function putBack(ctx: HostContext, restartedInto: string | undefined): Promise<void> {
  const settings = readSettings(ctx.config);
  const names = settings.units.join(", ");
  try {
    const result = await ctx.run(liveReleaseCommand(ctx.paths.current), { allowFailure: true, quiet: true });
    const live = result.stdout.trim().replace(/\/+$/, "").split("/").pop() || undefined;
    if (live === restartedInto) return;
    if (live === undefined) {
      await ctx.run(stopCommand(settings), { allowFailure: true, quiet: true });
      ctx.log(`stopped ${names}: no release is live`, "warn");
      return;
    }
    await runUnits(ctx, settings, "restart");
    ctx.log(`${names} ${settings.units.length > 1 ? "run" : "runs"} release ${live} again`, "warn");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`could not put ${names} back on the live release: ${message}`, "warn");
  }
}
