import { RUNTIME_KEYS } from "../config/core-keys.js";
import { mergeLayers } from "../config/layers.js";
import type { ResolvedAddress } from "../remote.js";
import { planRun } from "../run/plan.js";
import type { SessionOptions } from "../run/session-types.js";
import { connectTarget, resolveTarget } from "../run/target-config.js";
import { own } from "../config/own.js";

export interface ConfigEntry {
  key: string;
  /** Resolved: interpolated, defaults applied. */
  value: unknown;
  /** Where it came from: `default`, `plugin fap:git`, `top level`, `stage production`, `role production.web`, `command line`, ... */
  source: string;
  /** Who declares the key (`core`, `fap:git`); undefined for keys nothing reads, and for runtime values. */
  owner: string | undefined;
  /** Declared `secret: true`: show it as ***. */
  secret: boolean;
}

export interface HostConfigView {
  host: string;
  stage: string;
  role: string;
  /** The role's primary host (`primary: true`, else its first). */
  primary: boolean;
  labels: Readonly<Record<string, string>>;
  address: ResolvedAddress;
  entries: ConfigEntry[];
}

const RUNTIME: ReadonlySet<string> = new Set(RUNTIME_KEYS);

/**
 * The fully resolved config of each selected host, key by key, with where each value came
 * from (`fap config`). Connects to nothing: the user and port come from ~/.ssh/config.
 * Keys come in the order core and the plugins declare them, then keys nothing reads (likely
 * typos), then the values fap computes.
 */
export async function resolvedConfigs(options: SessionOptions): Promise<HostConfigView[]> {
  const { fap } = options;
  const plan = planRun(options);
  const owners = new Map<string, string>();
  for (const { owner, keys } of fap.keysByOwner) for (const key of Object.keys(keys)) owners.set(key, owner);
  return Promise.all(
    plan.targets.map(async (target, i) => {
      const address = await options.connector.resolve(connectTarget(plan, i));
      const { written, runtime, config: resolved } = resolveTarget(fap.keys, plan, i, address);
      const before = mergeLayers(written).sources;
      const source = (key: string): string => {
        if (RUNTIME.has(key)) return "runtime";
        if (key in runtime.values && before[key] === undefined) return key === "user" ? "~/.ssh/config or local user" : "runtime";
        return before[key] ?? resolved.sources[key] ?? "runtime";
      };
      const declared = [...owners.keys()].filter((key) => key in resolved.values);
      const undeclared = Object.keys(resolved.values).filter((key) => !owners.has(key) && !RUNTIME.has(key));
      const computed = RUNTIME_KEYS.filter((key) => resolved.values[key] !== undefined && resolved.values[key] !== "");
      const entries = [...declared, ...undeclared, ...computed].map((key) => ({
        key,
        value: resolved.values[key],
        source: source(key),
        owner: owners.get(key),
        secret: own(fap.keys, key)?.secret === true,
      }));
      return { host: target.host, stage: target.stage, role: target.role, primary: target.primary, labels: target.labels, address, entries };
    }),
  );
}
