import { createFap, type FapPlugin, type KeyType } from "@fap/core";
import { expect } from "vitest";

/** Each key's default in the plugin's `config` (its factory's options included): what the plugins' settings tests compare. */
export function keyDefaults(plugin: FapPlugin): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plugin.config ?? {}).map(([key, spec]) => [key, spec.default]));
}

/** Core takes the plugin's keys: they are listed under the plugin's name, and `key` has `type`. */
export function expectRegistered(plugin: FapPlugin, key: string, type: KeyType): void {
  const fap = createFap([plugin]);
  expect(fap.keysByOwner.map((o) => o.owner)).toContain(plugin.name);
  expect(fap.keys[key]?.type).toBe(type);
}

/** The plugin is named `name` and its keys default to `defaults` (see keyDefaults): the first test of each plugin's settings. */
export function expectNamedWithDefaults(plugin: FapPlugin, name: string, defaults: Record<string, unknown>): void {
  expect(plugin.name).toBe(name);
  expect(keyDefaults(plugin)).toEqual(defaults);
}
