import type { HostContext } from "../context.js";
import { sh } from "../shell/quote.js";
import type { Hooks } from "./hooks.js";

/** What a runtime plugin does on one host to put its app back on the live release. */
export interface PutBackActions {
  /** The app as the warnings name it (`app`, `api.service, worker.service`). */
  readonly name: string;
  /** Runs the app on release `live` again; resolves to the warning that says so. */
  restart(live: string): Promise<string>;
  /** Stops the app where no release is live (a first deploy undone); resolves to the warning that says so. */
  stop(): Promise<string>;
}

/** The release `current` points at, or nothing (no release is live). */
export function liveReleaseCommand(current: string): string {
  return sh`readlink ${current} || true`;
}

/**
 * For a plugin that (re)starts the app once the release is live (pm2, systemd, supervisorctl).
 * The function returned records that the app on `ctx`'s host now runs `ctx`'s release. When
 * the run fails, core puts `current` back; then, on each host recorded whose live release is
 * not the one recorded, the app is restarted on the live release, or stopped where none is
 * live, and a warning says which. Never throws: the run's own error is the one to report.
 */
export function putBackOnFailure(hooks: Hooks, plugin: string, actions: (ctx: HostContext) => PutBackActions): (ctx: HostContext) => void {
  const startedInto = new WeakMap<HostContext, string | undefined>();
  hooks.failed.tapPromise(plugin, async (_error, run) => {
    const touched = run.hosts.filter((ctx) => startedInto.has(ctx));
    await Promise.all(touched.map((ctx) => putBack(ctx, startedInto.get(ctx), actions(ctx))));
  });
  return (ctx) => void startedInto.set(ctx, ctx.release.id);
}

async function putBack(ctx: HostContext, startedInto: string | undefined, actions: PutBackActions): Promise<void> {
  try {
    const result = await ctx.run(liveReleaseCommand(ctx.paths.current), { allowFailure: true, quiet: true });
    const live = result.stdout.trim().replace(/\/+$/, "").split("/").pop() || undefined;
    if (live === startedInto) return;
    ctx.log(live === undefined ? await actions.stop() : await actions.restart(live), "warn");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log(`could not put ${actions.name} back on the live release: ${message}`, "warn");
  }
}
