import type { Layer } from "./layers.js";
import type { ResolvedConfig } from "./resolve.js";
import type { Target } from "./select.js";
import type { HostPaths } from "../context.js";
import type { FlowName } from "../flow-name.js";
import { checkDistinctHostPaths, HOST_PATH_KEYS, normaliseHostPath } from "./host-path.js";
import type { ResolvedAddress } from "../remote.js";

/**
 * The values fap computes for one target (`%(host)s`, `%(release)s`, ...): the top layer.
 * `rollback_from` and `rollback_to` are Fapistrano's names of a rollback's two releases; they
 * are empty in every other flow, so a hook shared by deploy and rollback still resolves.
 */
export function runtimeLayer(
  target: Target,
  address: ResolvedAddress,
  id: string | undefined,
  previousId: string | undefined,
  flow?: FlowName,
): Layer {
  const rollback = flow === "rollback";
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
      rollback_from: rollback ? (previousId ?? "") : "",
      rollback_to: rollback ? (id ?? "") : "",
    },
  };
}

/** Where things are on the host, from its resolved config: each path checked and normalised. */
export function hostPaths(config: ResolvedConfig, target: Target): HostPaths {
  const where = `${target.stage}.${target.role}`;
  const v = config.values;
  const [root, releases, current, shared] = HOST_PATH_KEYS.map((key) => normaliseHostPath(key, v[key], where)) as [string, string, string, string];
  checkDistinctHostPaths({ path: root, releases_path: releases, current_path: current, shared_path: shared }, where);
  return { root, releases, current, shared, meta: `${root}/.fap`, release: undefined };
}
