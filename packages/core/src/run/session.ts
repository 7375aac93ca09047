import os from "node:os";
import pLimit from "p-limit";
import { checkSharedPaths } from "../shell/release.js";
import type { FlowName } from "../flow-name.js";
import { interruptedError } from "./run-phase.js";
import { EMPTY_HOST_STATE } from "./host-state.js";
import { LOCKING_FLOWS, SessionLocks } from "../lock/session-locks.js";
import { HostGroups } from "./host-groups.js";
import { hostContexts } from "./session-contexts.js";
import { dryRunRemote } from "./dry-run-remote.js";
import { formattedReleaseId } from "../release/release-id.js";
import { newDeployId } from "./deploy-id.js";
import { planRun, type RunPlan } from "./plan.js";
import type { PreparedTarget, Session, SessionOptions } from "./session-types.js";
import { connectTarget, resolveTarget, targetPaths } from "./target-config.js";
import { configuredRemote } from "./host-remote.js";

/** Flows that read each host's releases, log and lock before starting (one round trip). */
const INSPECTING_FLOWS: ReadonlySet<FlowName> = new Set(["deploy", "rollback", "status", "task", "mark-bad"]);

/**
 * Connects to every planned host (one connection per host, shared by its roles), reads each
 * host's state in one round trip (a deploy or rollback takes its lock in the same command, see
 * SessionLocks) and builds the host contexts. If any host fails to open, the locks taken are
 * freed. Under --dry-run hosts are still read, so the commands shown are exact, but no lock is
 * taken and every command of the run goes nowhere, except those marked readOnly.
 */
export async function openSession(flow: FlowName, options: SessionOptions, plan: RunPlan = planRun(options)): Promise<Session> {
  const { fap } = options;
  const { targets, parallel } = plan;
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
        const connected = await options.connector.connect(connectTarget(plan, i));
        const address = connected.resolved;
        // After Ctrl-C no lock is taken: the locks already taken are freed on the way out.
        if (options.signal?.aborted) throw interruptedError(options.signal);
        const targetConfig = resolveTarget(fap.keys, plan, i, address);
        const { layers, config: resolved } = targetConfig;
        const paths = targetPaths(plan, i, targetConfig);
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

/** Like Promise.allSettled over `fn` of each item, at most `parallel` at a time. */
async function mapLimitSettled<T, R>(items: readonly T[], parallel: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const limit = pLimit(Math.max(1, parallel));
  return Promise.allSettled(items.map((item, index) => limit(() => fn(item, index))));
}
