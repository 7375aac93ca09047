import type { FapPlugin, HostContext } from "@fap/core";
import { runtimePlugin, type PutBackActions } from "@fap/core/internal";
import { runUnits } from "./_run-units.js";
import { stopCommand } from "./command.js";
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
  const run = (ctx: HostContext) => runUnits(ctx, readSettings(ctx.config));
  return runtimePlugin(
    { name: PLUGIN_NAME, config: systemdKeys(options), tasks: systemdTasks, requires: ["systemctl", "journalctl"] },
    { check: (ctx) => void readSettings(ctx.config), publish: run, restart: run, putBack },
  );
}

/**
 * After a failed run where core put `current` back: restart the units on the live release (a
 * reload would keep the failed release's process where it still runs); with no live release
 * (a first deploy undone), stop them.
 */
function putBack(ctx: HostContext): PutBackActions {
  const settings = readSettings(ctx.config);
  const names = settings.units.join(", ");
  return {
    name: names,
    async restart(live) {
      await runUnits(ctx, settings, "restart");
      return `${names} ${settings.units.length > 1 ? "run" : "runs"} release ${live} again`;
    },
    async stop() {
      await ctx.run(stopCommand(settings), { allowFailure: true, quiet: true });
      return `stopped ${names}: no release is live`;
    },
  };
}
