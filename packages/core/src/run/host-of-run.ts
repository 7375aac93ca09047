import type { HostContext } from "../context.js";

/**
 * The targets of one run that share one release: the same stage, the same host (as connected)
 * and the same path. Each keeps its own context, so each role's settings and taps apply; core's
 * steps on the release (create it, switch `current`, log, prune, unlock) are done once, by the
 * first of them in config order (the lead), and the host's hooks run for them one after the
 * other (see runStep). Hidden from plugins, like the host's run state.
 */
const membersByContext = new WeakMap<HostContext, readonly HostContext[]>();

/** Makes `members` (in config order) one host of the run. */
export function joinHostOfRun(members: readonly HostContext[]): void {
  const frozen = Object.freeze([...members]);
  for (const ctx of frozen) membersByContext.set(ctx, frozen);
}

/** The targets sharing `ctx`'s release, `ctx` included, in config order. */
export function membersOf(ctx: HostContext): readonly HostContext[] {
  return membersByContext.get(ctx) ?? [ctx];
}

/** Whether `ctx` does its release's core steps: the first of its host of the run. */
export function isLead(ctx: HostContext): boolean {
  return membersOf(ctx)[0] === ctx;
}

/**
 * `contexts` split into hosts of the run, in order: each unit holds the members of one host
 * of the run that are among `contexts`.
 */
export function hostsOfRun(contexts: readonly HostContext[]): HostContext[][] {
  const units = new Map<readonly HostContext[], HostContext[]>();
  for (const ctx of contexts) {
    const members = membersOf(ctx);
    units.set(members, [...(units.get(members) ?? []), ctx]);
  }
  return [...units.values()];
}
