import type { HostHookName } from "../hooks/hooks.js";

export const DEPLOY_PREPARE: readonly HostHookName[] = ["starting", "started", "updating", "updated"];
export const PUBLISH: readonly HostHookName[] = ["publishing", "published"];
/** A deploy checks each host once it is published, and a canary again after its wait (rollback does not: it goes back to a release that was checked). */
export const CHECK: readonly HostHookName[] = ["checking"];
export const DEPLOY_FINISH: readonly HostHookName[] = ["finishing", "finished"];

export const ROLLBACK_PREPARE: readonly HostHookName[] = ["starting", "started", "reverting", "reverted"];
export const ROLLBACK_FINISH: readonly HostHookName[] = ["finishingRollback", "finished"];

/**
 * A restart runs CHECK on each batch after `restarted`, before the next batch starts: a rolling
 * restart (`fap restart --batch N`) checks each batch before restarting the next one.
 */
export const RESTART: readonly HostHookName[] = ["restarting", "restarted"];
