import { FapError } from "../errors.js";
import { interpolateAll } from "./interpolate.js";
import { checkKeyType, type KeySpecs } from "./keys.js";
import { mergeLayers, type Layer } from "./layers.js";
import { own } from "./own.js";

export interface ResolvedConfig {
  /** Every key, interpolated. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Which layer each value came from (see `Layer.label`). */
  readonly sources: Readonly<Record<string, string>>;
}

/** Declared defaults, as the lowest layers: core's first, then each plugin's. */
export function defaultLayers(keysByOwner: ReadonlyArray<{ owner: string; keys: KeySpecs }>): Layer[] {
  return keysByOwner.map(({ owner, keys }) => ({
    name: owner === "core" ? "default" : "plugin",
    label: owner === "core" ? "default" : `plugin ${owner}`,
    values: Object.fromEntries(
      Object.entries(keys).filter(([, spec]) => spec.default !== undefined).map(([key, spec]) => [key, spec.default]),
    ),
  }));
}

/**
 * The layers found right against each key table. A run's targets share their config's, stage's
 * and role's layers (a role's holds its whole `hosts` list): checked for every target, that was
 * work growing with the square of the hosts.
 */
const checkedLayers = new WeakMap<KeySpecs, WeakSet<Layer>>();

/** Type-checks the values a user wrote, naming the layer of a bad one. A layer found right is not checked again. */
export function checkLayers(keys: KeySpecs, layers: readonly Layer[]): void {
  let checked = checkedLayers.get(keys);
  if (checked === undefined) checkedLayers.set(keys, (checked = new WeakSet()));
  for (const layer of layers) {
    if (checked.has(layer)) continue;
    for (const [key, value] of Object.entries(layer.values)) {
      const spec = own(keys, key);
      if (spec) checkKeyType(key, spec, value, layer.label);
    }
    checked.add(layer);
  }
}

/** Merges the layers (later wins) and resolves every %(key)s. */
export function resolveConfig(keys: KeySpecs, layers: readonly Layer[]): ResolvedConfig {
  checkLayers(keys, layers);
  const merged = mergeLayers(layers);
  const shellKeys = new Set(Object.entries(keys).filter(([, s]) => s.type === "commands" || s.shell === true).map(([k]) => k));
  try {
    return { values: interpolateAll(merged.values, shellKeys), sources: merged.sources };
  } catch (error) {
    if (error instanceof FapError && error.code === "E_INTERPOLATION") {
      const scope = layers.filter((l) => l.name === "role").map((l) => l.label)[0];
      throw new FapError(error.code, scope ? `${scope}: ${error.message}` : error.message, { hint: error.hint, cause: error });
    }
    throw error;
  }
}
