import type { FapPlugin, HostContext } from "@fap/core";
import { runtimePlugin, type PutBackActions } from "@fap/core/internal";
import { runReload } from "./_run-reload.js";
import { pm2Keys, type Pm2Options } from "./keys.js";
import { PLUGIN_NAME } from "./name.js";
import { deleteCommand } from "./reload-command.js";
import { readSettings } from "./settings.js";
import { pm2Tasks } from "./tasks.js";

/**
 * pm2 runs the Node app. Once the release is live (`published`), the app is started or
 * reloaded from `current` (one process after another in cluster mode: no downtime) and the
 * deploy waits until every process stays online; a crash loop fails it with the app's last
 * log lines. Core then puts `current` back, and this plugin reloads the app there.
 */
export function pm2(options: Pm2Options = {}): FapPlugin {
  const reload = (ctx: HostContext) => runReload(ctx, readSettings(ctx.config));
  return runtimePlugin(
    // pm2 itself may be anywhere (pm2_bin); it needs node.
    { name: PLUGIN_NAME, config: pm2Keys(options), tasks: pm2Tasks, requires: ["node"] },
    { check: (ctx) => void readSettings(ctx.config), publish: reload, restart: reload, putBack },
  );
}

/**
 * After a failed run where core put `current` back: reload the app on the live release; with
 * no live release (a first deploy undone), delete it from pm2.
 */
function putBack(ctx: HostContext): PutBackActions {
  const settings = readSettings(ctx.config);
  return {
    name: settings.name,
    async restart(live) {
      await runReload(ctx, settings);
      return `${settings.name} runs release ${live} again`;
    },
    async stop() {
      await ctx.run(deleteCommand(settings), { allowFailure: true, quiet: true });
      return `deleted ${settings.name} from pm2: no release is live`;
    },
  };
}
