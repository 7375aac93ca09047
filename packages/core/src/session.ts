import os from "node:os";
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { checkHookNames } from "./config-hooks-plugin.js";
import { checkSharedPaths } from "./commands/release.js";
import { checkLayers, defaultLayers, resolveConfig, type ResolvedConfig } from "./config/resolve.js";
import { selectTargets, type Selection, type Target } from "./config/select.js";
import { filterHosts } from "./config/filter-hosts.js";
import { mergeLayers, type Layer, type MergedValues } from "./config/layers.js";
import type { FapConfig } from "./config/types.js";
import type { FlowName, HostContext, HostPaths } from "./context.js";
import { FapError } from "./errors.js";
import { interruptedError } from "./run-phase.js";
import type { FapInstance } from "./fap.js";
import { EMPTY_HOST_STATE, type HostState } from "./host-state.js";
import { LOCKING_FLOWS, SessionLocks } from "./session-locks.js";
import { HostGroups } from "./host-groups.js";
import { hostContexts } from "./session-contexts.js";
import { dryRunRemote } from "./dry-run-remote.js";
import { configuredRemote } from "./host-remote.js";
import type { Connector, Remote, ResolvedAddress } from "./remote.js";
import type { Rollout } from "./rollout.js";
import { hostPaths, runtimeLayer } from "./target-layout.js";
import { formatReleaseId, isValidReleaseId } from "./release-id.js";

export interface SessionOptions {
  fap: FapInstance;
  config: FapConfig;
  selection: Selection;
  /** Values from the command line (`--set key=value`, `--curl-url=...`): the highest layer. */
  cliValues?: Record<string, unknown>;
  connector: Connector;
  dryRun?: boolean;
  /** Clock for release ids (tests). */
  now?: () => Date;
  /** Hosts worked on at once; defaults to the `parallel` key. */
  parallel?: number;
  /** Rolling publish (--batch, --batch-wait) and failure tolerance (--max-failed) of a deploy. */
  rollout?: Rollout;
  /** Abort (with the signal's name as reason) to stop the run cleanly: Ctrl-C. */
  signal?: AbortSignal;
  /** Values to redact from all output, e.g. from `resolveSecrets`; values of secret keys are added. */
  secrets?: readonly string[];
  /** Rollback: when the hosts would go to different releases, send all to the newest one every host holds in good state (--align). */
  alignRollback?: boolean;
  /** Rollback: the release id, or revision, every host goes to (--to), instead of each one's previous good release. */
  rollbackTo?: string;
  /** Deploy, rollback: how long to wait for another run's lock on a host before failing (--lock-wait); 0: fail at once. */
  lockWaitMs?: number;
  /** Id of this run (in the lock, the release log and every --json event); default: a random one. */
  deployId?: string;
}

/** The hosts of one run, connected, inspected and given their contexts. */
export interface Session {
  readonly deployId: string;
  readonly contexts: HostContext[];
  readonly parallel: number;
}

/** Flows that read each host's releases, log and lock before starting (one round trip). */
const INSPECTING_FLOWS: ReadonlySet<FlowName> = new Set(["deploy", "rollback", "status", "task", "mark-bad"]);

export interface PreparedTarget {
  target: Target;
  /** Its host of the run (see HostGroups): targets with the same one share one release. */
  group: string;
  remote: Remote;
  address: ResolvedAddress;
  layers: Layer[];
  config: ResolvedConfig;
  paths: HostPaths;
  state: HostState;
}

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

/**
 * Connects to every planned host (one connection per host, shared by its roles), reads each
 * host's state in one round trip (a deploy or rollback takes its lock in the same command, see
 * SessionLocks) and builds the host contexts. If any host fails to open, the locks taken are
 * freed. Under --dry-run hosts are still read, so the commands shown are exact, but no lock is
 * taken and every command of the run goes nowhere, except those marked readOnly.
 */
export async function openSession(flow: FlowName, options: SessionOptions, plan: RunPlan = planRun(options)): Promise<Session> {
  const { fap } = options;
  const { targets, baseLayers, cliLayer, parallel } = plan;
  const deployId = options.deployId ?? newDeployId();
  const deployer = os.userInfo().username;
  const now = (options.now ?? (() => new Date()))();
  const locks = new SessionLocks(flow, deployId, deployer, LOCKING_FLOWS.has(flow) && !options.dryRun, {
    ms: options.lockWaitMs ?? 0,
    events: fap.events,
    signal: options.signal,
  });
  // Roles sharing a host and path share its lock too: mark-bad locks as a deploy does.
  const groups = new HostGroups(flow === "deploy" || flow === "rollback" || flow === "mark-bad");
  try {
    // Each host is read as soon as it is connected: no barrier between connecting and reading.
    const settled = await mapLimitSettled(targets, parallel, (target, i) =>
      locks.unlessFirstFails(i, async () => {
        const { remote: connected, address } = await connect(target, plan.merged[i]!, options);
        // After Ctrl-C no lock is taken: the locks already taken are freed on the way out.
        if (options.signal?.aborted) throw interruptedError(options.signal);
        const layers = [...baseLayers, ...target.layers, cliLayer, runtimeLayer(target, address, undefined, undefined)];
        const resolved = resolveConfig(fap.keys, layers);
        const paths = hostPaths(resolved, target);
        checkSharedPaths(resolved.values);
        // run_as, sudo, forward_agent: the lock and the state reads below go through it too.
        const remote = configuredRemote(connected, resolved.values);
        const group = groups.join(target, i, address, paths, resolved.values);
        if (flow === "deploy") formattedReleaseId(resolved.values, now); // a mistake must stop before the lock
        const state = INSPECTING_FLOWS.has(flow) ? await locks.inspect(group, target.host, i, remote, paths, resolved.values) : EMPTY_HOST_STATE;
        const hostRemote = options.dryRun ? dryRunRemote(target.host, address, remote) : remote;
        return { target, group, remote: hostRemote, address, layers, config: resolved, paths, state } satisfies PreparedTarget;
      }),
    );
    const failed = settled.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const prepared = settled.map((result) => (result as PromiseFulfilledResult<PreparedTarget>).value);
    return { deployId, contexts: hostContexts(flow, options, prepared, { deployId, deployer, now }), parallel };
  } catch (error) {
    await locks.releaseAll();
    throw error;
  }
}

/** What release_id_format gives at `now`; E_CONFIG if that is no valid directory name. */
export function formattedReleaseId(values: Readonly<Record<string, unknown>>, now: Date): string {
  const id = formatReleaseId(String(values.release_id_format), now);
  if (!isValidReleaseId(id)) {
    throw new FapError("E_CONFIG", `release_id_format gives '${id}', which is not a valid directory name`, {
      hint: "use letters, digits, '.', '_' and '-' only, e.g. %Y%m%d-%H%M%S",
    });
  }
  return id;
}

/** A fresh run id: 8 hex digits. */
export function newDeployId(): string {
  return randomUUID().slice(0, 8);
}

async function connect(target: Target, merged: MergedValues, options: SessionOptions) {
  const { values } = merged;
  const remote = await options.connector.connect({ host: target.host, user: optionalString(values.user), port: optionalNumber(values.port) });
  return { remote, address: remote.resolved };
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null || value === "" ? undefined : Number(value);
}

/** Like Promise.allSettled over `fn` of each item, at most `parallel` at a time. */
async function mapLimitSettled<T, R>(items: readonly T[], parallel: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const limit = pLimit(Math.max(1, parallel));
  return Promise.allSettled(items.map((item, index) => limit(() => fn(item, index))));
}
