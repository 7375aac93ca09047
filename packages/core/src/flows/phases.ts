import type { HostHookName } from "../hooks.js";

export const DEPLOY_PREPARE: readonly HostHookName[] = ["starting", "started", "updating", "updated"];
export const PUBLISH: readonly HostHookName[] = ["publishing", "published"];
export const DEPLOY_FINISH: readonly HostHookName[] = ["finishing", "finished"];

export const ROLLBACK_PREPARE: readonly HostHookName[] = ["starting", "started", "reverting", "reverted"];
export const ROLLBACK_FINISH: readonly HostHookName[] = ["finishingRollback", "finished"];

export const RESTART: readonly HostHookName[] = ["restarting", "restarted"];
