import { checkHookNames } from "../hooks/config-hooks-plugin.js";
import { checkLayers, defaultLayers } from "../config/resolve.js";
import { selectTargets, type Target } from "../config/select.js";
import { filterHosts } from "../config/filter-hosts.js";
import { mergeLayers, type Layer, type MergedValues } from "../config/layers.js";
import type { SessionOptions } from "./session-types.js";

/** The selected hosts with their config layers, checked before anything runs. */
export interface RunPlan {
  readonly targets: readonly Target[];
  readonly merged: readonly MergedValues[];
  readonly baseLayers: readonly Layer[];
  readonly cliLayer: Layer;
  readonly parallel: number;
}

/**
 * Selects the hosts and checks what the user wrote (types, hook names) without connecting:
 * a typo must not wait for a build or a connection to be reported.
 */
export function planRun(options: SessionOptions): RunPlan {
  const { fap, config } = options;
  const targets = filterHosts(selectTargets(config, fap.keys, options.selection), options.selection);
  const baseLayers = defaultLayers(fap.keysByOwner);
  const cliLayer: Layer = { name: "cli", label: "command line", values: options.cliValues ?? {} };
  // Before connecting only user, port and parallel are needed, and %(user)s may wait for ~/.ssh/config.
  const merged = targets.map((target) => {
    const layers = [...baseLayers, ...target.layers, cliLayer];
    checkLayers(fap.keys, layers);
    const values = mergeLayers(layers);
    checkHookNames(values.values.hooks, fap.tasks);
    return values;
  });
  const parallel = options.parallel ?? Number(merged[0]?.values.parallel ?? 10);
  return { targets, merged, baseLayers, cliLayer, parallel };
}
