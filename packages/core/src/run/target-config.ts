import { hostPaths, runtimeLayer } from "../config/target-layout.js";
import { resolveConfig, type ResolvedConfig } from "../config/resolve.js";
import type { Layer } from "../config/layers.js";
import type { KeySpecs } from "../config/keys.js";
import type { HostPaths } from "../context.js";
import type { HostAddress, ResolvedAddress } from "../remote.js";
import type { RunPlan } from "./plan.js";

/** Where target `index` of a plan is connected: its host, with the user and port its config names. */
export function connectTarget(plan: RunPlan, index: number): HostAddress {
  const target = plan.targets[index]!;
  const { values } = plan.merged[index]!;
  return { host: target.host, user: optionalString(values.user), port: optionalNumber(values.port) };
}

/** A target's config once its address is known: the layers as written, the runtime layer on top, resolved. */
export interface TargetConfig {
  /** Defaults, plugins, the user's layers and the command line: what was written. */
  readonly written: readonly Layer[];
  /** What fap computes for the target (`%(host)s`, `%(release)s`, ...). */
  readonly runtime: Layer;
  readonly layers: readonly Layer[];
  readonly config: ResolvedConfig;
}

/**
 * The one way a target's config is resolved (sessions, `fap doctor`, `fap config`): layers,
 * then the runtime layer with its address, then interpolation and type checks.
 */
export function resolveTarget(keys: KeySpecs, plan: RunPlan, index: number, address: ResolvedAddress): TargetConfig {
  const target = plan.targets[index]!;
  const written = [...plan.baseLayers, ...target.layers, plan.cliLayer];
  const runtime = runtimeLayer(target, address, undefined, undefined);
  const layers = [...written, runtime];
  return { written, runtime, layers, config: resolveConfig(keys, layers) };
}

/** Where things are on the target's host, from its resolved config (each path checked). */
export function targetPaths(plan: RunPlan, index: number, resolved: TargetConfig): HostPaths {
  return hostPaths(resolved.config, plan.targets[index]!);
}

/** A config value that may be left out: undefined when missing or empty, else its text. */
function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/** A number key that may be left out: undefined when missing or null (the type check already refused "" and text). */
function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}
