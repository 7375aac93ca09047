import type { HostContext } from "../context.js";
import type { ReleaseLogEntry, ReleaseStatus } from "./release-log.js";

/** The release-log line for this host's release, with what plugins recorded (e.g. revision). */
export function logEntry(ctx: HostContext, status: ReleaseStatus): ReleaseLogEntry {
  return {
    ...ctx.recorded,
    id: ctx.release.id ?? "",
    status,
    time: new Date().toISOString(),
    user: ctx.deployer,
    deploy: ctx.deployId,
  };
}
