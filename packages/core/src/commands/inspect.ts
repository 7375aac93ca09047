import { HOST_STATE_MARK } from "../host-state.js";
import { sh } from "../quote.js";
import type { HostPaths } from "../context.js";

/** One round trip that prints `current`'s target, the release directories, the release log and the lock. */
export function inspectCommand(paths: Pick<HostPaths, "current" | "releases" | "meta">): string {
  return [
    sh`printf '%s\\n' ${HOST_STATE_MARK + "current"}; readlink ${paths.current} 2>/dev/null || true`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "releases"}; ls -1 ${paths.releases} 2>/dev/null || true`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "log"}; cat ${paths.meta + "/releases.log"} 2>/dev/null || true`,
    sh`printf '%s\\n' ${HOST_STATE_MARK + "lock"}; cat ${paths.meta + "/lock/info"} 2>/dev/null || true`,
  ].join("\n");
}
