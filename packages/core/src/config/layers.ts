import { dictionary } from "./own.js";

/** Where a value came from, lowest precedence first. */
export type LayerName = "default" | "plugin" | "top" | "stage" | "role" | "cli" | "runtime";

export interface Layer {
  name: LayerName;
  /** e.g. "plugin fap:git", "stage production", "role production.web" */
  label: string;
  values: Readonly<Record<string, unknown>>;
}

export interface MergedValues {
  values: Record<string, unknown>;
  /** For each key, the label of the layer its value came from. */
  sources: Record<string, string>;
}

/** Later layers win, key by key (maps are replaced, not merged: a role's `hooks` is the role's). */
export function mergeLayers(layers: readonly Layer[]): MergedValues {
  const values = dictionary<unknown>();
  const sources = dictionary<string>();
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) {
      if (value === undefined) continue;
      values[key] = value;
      sources[key] = layer.label;
    }
  }
  return { values, sources };
}
