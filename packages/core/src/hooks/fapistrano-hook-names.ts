import type { HostHookName } from "./hooks.js";

/**
 * Fapistrano's signal names, each the alias of the fap host hook it was emitted at, so that
 * `hooks: {deploy.updating: ...}` written for Fapistrano runs where it used to. These are all
 * the signals Fapistrano's flows emitted: release, rollback (deploy.reverting ...) and restart
 * (deploy.restarting ...) all used the `deploy.` prefix.
 */
export const FAPISTRANO_HOOK_NAMES: Readonly<Record<string, HostHookName>> = Object.freeze({
  "deploy.starting": "starting",
  "deploy.started": "started",
  "deploy.updating": "updating",
  "deploy.updated": "updated",
  "deploy.reverting": "reverting",
  "deploy.reverted": "reverted",
  "deploy.publishing": "publishing",
  "deploy.published": "published",
  "deploy.finishing": "finishing",
  "deploy.finishing_rollback": "finishingRollback",
  "deploy.finished": "finished",
  "deploy.restarting": "restarting",
  "deploy.restarted": "restarted",
});

/** The names a `hooks` entry for `hook` may be written under: fap's own, then Fapistrano's alias. */
export function hookNamesFor(hook: HostHookName): string[] {
  return [hook, ...Object.keys(FAPISTRANO_HOOK_NAMES).filter((alias) => FAPISTRANO_HOOK_NAMES[alias] === hook)];
}
