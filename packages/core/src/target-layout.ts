import type { Layer } from "./config/layers.js";
import type { ResolvedConfig } from "./config/resolve.js";
import type { Target } from "./config/select.js";
import type { HostPaths } from "./context.js";
import { FapError } from "./errors.js";
import type { ResolvedAddress } from "./remote.js";

/** The values fap computes for one target (`%(host)s`, `%(release)s`, ...): the top layer. */
export function runtimeLayer(target: Target, address: ResolvedAddress, id: string | undefined, previousId: string | undefined): Layer {
  return {
    name: "runtime",
    label: "runtime",
    values: {
      stage: target.stage,
      role: target.role,
      host: target.host,
      user: address.user,
      release: id ?? "",
      release_path: id === undefined ? "" : `%(releases_path)s/${id}`,
      previous_release: previousId ?? "",
      previous_release_path: previousId === undefined ? "" : `%(releases_path)s/${previousId}`,
    },
  };
}

/** Where things are on the host, from its resolved config. */
export function hostPaths(config: ResolvedConfig, target: Target): HostPaths {
  const v = config.values;
  const root = String(v.path ?? "").replace(/\/+$/, "");
  if (root === "" && String(v.path).startsWith("/")) {
    throw new FapError("E_CONFIG", `${target.stage}.${target.role}: path must not be /`, {
      hint: "deploy into a directory of its own, e.g. /home/deploy/www/myapp",
    });
  }
  if (!root.startsWith("/")) {
    throw new FapError("E_CONFIG", `${target.stage}.${target.role}: path must be absolute, got '${v.path}'`, {
      hint: "write the full path, e.g. /home/deploy/www/myapp (~ is not expanded)",
    });
  }
  return {
    root,
    releases: String(v.releases_path),
    current: String(v.current_path),
    shared: String(v.shared_path),
    meta: `${root}/.fap`,
    release: undefined,
  };
}
