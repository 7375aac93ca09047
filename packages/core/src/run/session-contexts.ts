import type { ResolvedConfig } from "../config/resolve.js";
import { resolveConfig } from "../config/resolve.js";
import type { HostContext } from "../context.js";
import type { FlowName } from "../flow-name.js";
import type { FapInstance } from "../fap.js";
import { createHostContext } from "./host-context.js";
import { joinHostOfRun } from "./host-of-run.js";
import { DeferredCommands } from "./_deferred.js";
import { freeReleaseId } from "../release/release-id.js";
import { rollbackTargets } from "../release/rollback-targets.js";
import { OnceRegistry, targetsOfRun } from "./run-view.js";
import { formattedReleaseId } from "../release/release-id.js";
import type { PreparedTarget } from "./session-types.js";
import type { SessionOptions } from "./session-types.js";
import { runtimeLayer } from "../config/target-layout.js";

/**
 * The contexts of a session's targets, one each. Targets of one host of the run (see
 * HostGroups) get one release id and one queue of deferred commands: they share the release.
 */
export function hostContexts(
  flow: FlowName,
  options: SessionOptions,
  prepared: readonly PreparedTarget[],
  { deployId, deployer, now }: { deployId: string; deployer: string; now: Date },
): HostContext[] {
  const { fap } = options;
  // Ids in the log (its latest lines: inspectCommand) count as taken too: a pruned id reused in
  // the same second would sort oldest.
  const taken = prepared.flatMap((p) => [...p.state.releases, ...p.state.log.keys()]);
  // What every tap sees of the run, and its `once` work: made here, so they end with the session.
  const [runTargets, once] = [targetsOfRun(prepared.map((p) => p.target)), new OnceRegistry()];
  const targets = flow === "rollback" ? rollbackTargets(prepared.map((p) => ({ host: p.target.host, state: p.state })), options.alignRollback ?? false, options.rollbackTo) : [];
  const releases = new Map<string, { id: string | undefined; previousId: string | undefined }>();
  const queues = new Map<string, DeferredCommands>();
  const contexts = prepared.map((p, i) => {
    const release = releases.get(p.group) ?? releaseFor(flow, p, now, taken, targets[i]);
    releases.set(p.group, release);
    const deferred = queues.get(p.group) ?? new DeferredCommands();
    queues.set(p.group, deferred);
    const { id, previousId } = release;
    const layers = [...p.layers.slice(0, -1), runtimeLayer(p.target, p.address, id, previousId, flow)];
    const resolved = id === undefined && previousId === undefined ? p.config : resolveConfig(fap.keys, layers);
    return createHostContext({
      flow,
      deployId,
      stage: p.target.stage,
      role: p.target.role,
      host: p.target.host,
      primary: p.target.primary, labels: p.target.labels, targets: runTargets, once, deferred,
      config: resolved.values,
      paths: { ...p.paths, release: id === undefined ? undefined : `${p.paths.releases}/${id}` },
      release: { id, previousId },
      before: p.state,
      deployer,
      dryRun: options.dryRun ?? false,
      remote: p.remote,
      events: fap.events,
      secrets: [...(options.secrets ?? []), ...secretValues(fap, resolved)],
      signal: options.signal,
    });
  });
  for (const group of new Set(prepared.map((p) => p.group))) joinHostOfRun(contexts.filter((_, i) => prepared[i]!.group === group));
  return contexts;
}

function releaseFor(flow: FlowName, p: PreparedTarget, now: Date, taken: string[], rollbackTo: string | undefined) {
  if (flow === "deploy") {
    return { id: freeReleaseId(formattedReleaseId(p.config.values, now), taken), previousId: p.state.current };
  }
  if (flow === "rollback") {
    return { id: rollbackTo, previousId: p.state.current };
  }
  return { id: undefined, previousId: p.state.current };
}

function secretValues(fap: FapInstance, config: ResolvedConfig): string[] {
  return Object.entries(fap.keys)
    .filter(([key, spec]) => spec.secret && typeof config.values[key] === "string")
    .map(([key]) => String(config.values[key]));
}
