import type { HostContext } from "../context.js";
import { FapError, isFapError } from "../errors.js";
import type { FapInstance } from "../fap.js";
import { runStep, type HostFailure } from "../run/run-phase.js";
import type { Session } from "../run/session-types.js";
import { withActor } from "../hooks/_active-tap.js";
import { CORE_PLUGIN_NAME } from "../core-plugin.js";
import { isPlainObject } from "../config/interpolate.js";

/**
 * The twelve-factor release phase of a deploy: `release_command` (database migrations), run
 * once per stage in the new release, after every host is prepared and before any switches.
 * Its name is the phase a failure is reported in: `host1 (releasing): ...`.
 */
const RELEASE_PHASE = "releasing";

/** The target's `release_command`, if its role has one (set for the role, the stage or the top level). */
function releaseCommandOf(ctx: HostContext): string | undefined {
  const value = ctx.config.release_command;
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The targets that take part: each role's primary host, where the role has a release_command. */
function releaseHosts(contexts: readonly HostContext[]): HostContext[] {
  return contexts.filter((ctx) => ctx.flow === "deploy" && ctx.primary && releaseCommandOf(ctx) !== undefined);
}

/**
 * Runs the release phase on the prepared hosts (`live`) and returns its failures. A primary
 * that would have run it but dropped out under --max-failed fails the phase too: the hosts
 * that are left must not switch to code whose release step never ran.
 */
export async function runReleasePhase(fap: FapInstance, live: Session, dropped: readonly HostContext[], signal?: AbortSignal): Promise<HostFailure[]> {
  const missed = releaseHosts(dropped).map((ctx): HostFailure => ({
    host: ctx.host,
    phase: RELEASE_PHASE,
    error: new FapError("E_DEPLOY_FAILED", `release_command did not run: ${ctx.host}, the primary host of ${ctx.stage}.${ctx.role}, failed before it`, {
      host: ctx.host,
      hint: `fix ${ctx.host}, or mark another host of ${ctx.stage}.${ctx.role} primary: true`,
    }),
  }));
  if (missed.length > 0) return missed;
  const hosts = releaseHosts(live.contexts);
  if (hosts.length === 0) return [];
  return runStep(fap.events, RELEASE_PHASE, hosts, live.parallel, signal, (ctx) => withActor(ctx, CORE_PLUGIN_NAME, () => release(ctx)));
}

/**
 * Once per stage: the stage's primaries start in the config's order, so the primary of the
 * first role that has a release_command runs it, and the others wait for it. (Not keyed by
 * the command's text: `%(host)s` makes that differ from host to host.) A failure is the
 * failure of the host that ran it; the others are only not switched.
 */
async function release(ctx: HostContext): Promise<void> {
  let ranHere = false;
  const run = (first: HostContext) => {
    ranHere = true;
    return runIn(first, releaseCommandOf(first)!);
  };
  try {
    await ctx.once("fap:core release_command", run, { per: "stage" });
  } catch (error) {
    if (ranHere) throw error;
  }
}

async function runIn(ctx: HostContext, command: string): Promise<void> {
  const release = ctx.paths.release ?? "";
  ctx.log(`release_command (once for ${ctx.stage}) in ${release}`);
  // With the release's environment: core wrote `environment` to .env (sh syntax) in `updated`.
  const withEnvironment = hasEnvironment(ctx) ? `set -a && . ./.env && set +a && {\n${command}\n}` : command;
  try {
    const result = await ctx.run(withEnvironment, { cwd: release });
    if (!ctx.dryRun) ctx.log(`release_command exited with ${result.exitCode}`);
  } catch (error) {
    throw describeFailure(error, ctx);
  }
}

function hasEnvironment(ctx: HostContext): boolean {
  return isPlainObject(ctx.config.environment) && Object.keys(ctx.config.environment).length > 0;
}

/** `release_command exited with 3: <its last stderr line>`, rather than the whole command line. */
function describeFailure(error: unknown, ctx: HostContext): unknown {
  if (!isFapError(error) || error.code !== "E_COMMAND_FAILED") return error;
  const details = (error.details ?? {}) as { exitCode?: number | null; stderr?: string };
  const last = (details.stderr ?? "").trim().split("\n").at(-1)?.slice(0, 500) ?? "";
  return new FapError(error.code, `release_command exited with ${details.exitCode ?? "a signal"}${last ? `: ${last}` : ""}`, {
    host: ctx.host,
    plugin: CORE_PLUGIN_NAME,
    hook: RELEASE_PHASE,
    hint: `release_command runs in the new release on ${ctx.host}; fix it and deploy again`,
    details: error.details,
    cause: error,
  });
}
