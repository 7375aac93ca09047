import type { HostContext } from "./context.js";
import { asList } from "./config/keys.js";
import {
  appendLogCommand,
  linkSharedCommand,
  startReleaseCommand,
  switchCurrentCommand,
} from "./shell/release.js";
import { FapError } from "./errors.js";
import type { FapPlugin } from "./plugin.js";
import { logEntry } from "./release/_log-entry.js";
import { environmentFile, writeEnvironmentCommand } from "./shell/environment.js";
import { isPlainObject } from "./config/interpolate.js";
import { isLead } from "./run/host-of-run.js";
import { runStateOf } from "./run/host-run-state.js";

export const CORE_PLUGIN_NAME = "fap:core";

/** Core's steps, as taps: create the release, link shared/, publish, prune; and rollback's. */
export function corePlugin(): FapPlugin {
  return {
    name: CORE_PLUGIN_NAME,
    apply({ hooks }) {
      // The lock was taken when the host was first read (see openSession); the release
      // directory goes with the host's next command (at the latest at the end of `updated`).
      hooks.starting.tapPromise(CORE_PLUGIN_NAME, async (ctx) => {
        // Roles sharing this host's release: its first role creates it (see host-of-run.ts).
        if (ctx.flow === "deploy" && isLead(ctx)) await ctx.run(startReleaseCommand(ctx.paths, releasePath(ctx), logEntry(ctx, "pending")), { defer: true });
      });

      hooks.updated.tapPromise(CORE_PLUGIN_NAME, async (ctx) => {
        const link = linkSharedCommand(ctx.paths, releasePath(ctx), asList(ctx.config.linked_files), asList(ctx.config.linked_dirs));
        // Each role links its own linked_files and linked_dirs; `environment` is one per release.
        const environment = isLead(ctx) && isPlainObject(ctx.config.environment) ? environmentFile(ctx.config.environment) : "";
        // The environment goes over stdin, never on a command line where ps or a log could show it.
        if (environment) await ctx.run([link, writeEnvironmentCommand(releasePath(ctx))].filter(Boolean).join("\n"), { stdin: environment });
        else if (link) await ctx.run(link);
      });

      hooks.reverting.tapPromise(CORE_PLUGIN_NAME, async (ctx) => {
        if (ctx.release.previousId === undefined) {
          throw new FapError("E_NO_CURRENT_RELEASE", `nothing is deployed at ${ctx.paths.root}`, {
            host: ctx.host,
            hint: "deploy first: fap run deploy",
          });
        }
        if (ctx.release.id === undefined) {
          throw new FapError("E_NO_PREVIOUS_RELEASE", `no earlier release to roll back to from ${ctx.release.previousId}`, {
            host: ctx.host,
            hint: "deploy the version you want instead",
          });
        }
        ctx.log(`rolling back ${ctx.release.previousId} → ${ctx.release.id}`);
      });

      hooks.publishing.tapPromise(CORE_PLUGIN_NAME, async (ctx) => {
        // The first role switches; the others' publishing taps run after it (see runStep).
        if (!isLead(ctx)) return;
        const switchCommand = switchCurrentCommand(ctx.paths, releasePath(ctx), releaseId(ctx));
        const record =
          ctx.flow === "deploy"
            ? // `live`, not `ok`: only a run that passes every phase marks it ok, when it frees the lock.
              appendLogCommand(ctx.paths, logEntry(ctx, "live"))
            : appendLogCommand(ctx.paths, { ...logEntry(ctx, "rolled-back"), id: ctx.release.previousId ?? "" });
        // The finish and unlock ride along when nothing runs in between; a failed switch skips them.
        const finish = runStateOf(ctx)?.finishWithSwitch;
        if (finish === undefined) return void (await ctx.run(`${switchCommand} && ${record}`));
        finish.answer = await ctx.run(`${switchCommand} && ${record} && { ${finish.command}; }`);
      });
    },
  };
}

/**
 * The run's release. Core's taps that read it run only where it is set: in a deploy, and in a
 * rollback once its `reverting` tap has refused a host without one.
 */
function releaseId(ctx: HostContext): string {
  return ctx.release.id!;
}

function releasePath(ctx: HostContext): string {
  return `${ctx.paths.releases}/${releaseId(ctx)}`;
}
