import { CORE_KEYS, filterHosts, mergeLayers, selectTargets, type Connector, type FapConfig, type HostAddress, type Remote, type ResolvedAddress } from "@fap/core/internal";
import { wholeParallel } from "./run-flags.js";
import type { RunSelection } from "./compose-run.js";

/**
 * How long connections opened early wait for the run to ask for one. An open connection keeps
 * Node running, so a plugin that never finishes loading, or a build hook that never returns,
 * would keep fap waiting forever instead of ending it as unfinished (unfinished-guard.ts).
 * After this, the early connections are closed, and the run connects when it gets there.
 */
const UNASKED_MS = 3000;

/**
 * A connector that starts connecting before the run asks: once the config is read, the hosts
 * are known, and their SSH handshakes can go on while the plugins are imported and the run is
 * put together. The run's own connect() of an address started early gets that very attempt,
 * so a host that fails is tried once and its error is the run's, told where it was before.
 */
export class EarlyConnector implements Connector {
  /** Attempts the run has not asked for yet. */
  private readonly early = new Map<string, Promise<Remote>>();
  /** Every attempt started: the inner connector pools a connection only once its target is read. */
  private readonly started: Array<Promise<unknown>> = [];
  private unasked: NodeJS.Timeout | undefined;
  /** Closing the early connections the run did not ask for in time: its connects wait for that. */
  private abandoning: Promise<void> | undefined;

  constructor(private readonly inner: Connector & { opening?(): string[] }) {}

  /** Starts connecting to each address not started yet; failures wait for the run's connect(). */
  start(addresses: readonly HostAddress[]): void {
    for (const address of addresses) {
      const key = addressKey(address);
      if (this.early.has(key)) continue;
      const attempt = this.inner.connect(address);
      attempt.catch(() => {});
      this.early.set(key, attempt);
      this.started.push(attempt);
    }
    this.unasked ??= setTimeout(() => {
      // Nothing but the early connections was asked of the inner connector yet: close them all.
      this.early.clear();
      this.abandoning = this.close();
    }, UNASKED_MS).unref();
  }

  resolve(address: HostAddress): Promise<ResolvedAddress> {
    return this.inner.resolve(address);
  }

  async connect(address: HostAddress): Promise<Remote> {
    clearTimeout(this.unasked);
    await this.abandoning;
    const key = addressKey(address);
    const attempt = this.early.get(key);
    if (attempt === undefined) return this.inner.connect(address);
    this.early.delete(key);
    return attempt;
  }

  opening(): string[] {
    return this.inner.opening?.() ?? [];
  }

  /** Once every attempt has got as far as it will (a connection pooled, or an error), closes them all. */
  async close(): Promise<void> {
    clearTimeout(this.unasked);
    this.early.clear();
    await Promise.allSettled(this.started);
    await this.inner.close();
  }
}

function addressKey(address: HostAddress): string {
  return JSON.stringify([address.host, address.user ?? null, address.port ?? null]);
}

/**
 * The addresses a run will connect to first, as the config alone tells them (before plugins
 * declare their keys): the selected hosts with their user and port, at most `parallel` of
 * them, in the order the run connects. Undefined when the config alone cannot tell for sure
 * (a stage holds something other than roles, user or port come from the command line): the
 * run then connects when it gets there, as it would have anyway.
 */
export function earlyAddresses(config: FapConfig, selection: RunSelection, flags: { args?: readonly string[]; set?: readonly string[]; parallel?: string | undefined }): HostAddress[] | undefined {
  const fromCommandLine = [...(flags.args ?? []), ...(flags.set ?? [])].some((arg) => /^(--)?(user|port)(=|$)/.test(arg));
  if (fromCommandLine) return undefined;
  try {
    const hosts = (list: readonly string[] | undefined) => (list === undefined || list.length === 0 ? undefined : list.flatMap((h) => h.split(",")).map((h) => h.trim()).filter(Boolean));
    const wanted = { stage: selection.stage, role: selection.role, hosts: hosts(selection.hosts), excludeHosts: hosts(selection.excludeHosts) };
    const targets = filterHosts(selectTargets(config, CORE_KEYS, wanted), wanted);
    // A role is a map with hosts: anything else in a stage may be a plugin's key, unknown yet.
    if (targets.some((target) => target.layers.find((layer) => layer.name === "role")?.values.hosts === undefined)) return undefined;
    const merged = targets.map((target) => mergeLayers(target.layers).values);
    const parallel = wholeParallel(flags.parallel) ?? Number(merged[0]?.parallel ?? 10);
    const addresses = targets.slice(0, Math.max(1, parallel)).map((target, i) => ({
      host: target.host,
      user: optional(merged[i]!.user, String),
      port: optional(merged[i]!.port, Number),
    }));
    // A port the run will refuse is not tried: a socket to it would only wait for its timeout.
    return addresses.every(({ port }) => port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65535)) ? addresses : undefined;
  } catch {
    return undefined;
  }
}

function optional<T>(value: unknown, as: (v: unknown) => T): T | undefined {
  return value === undefined || value === null || value === "" ? undefined : as(value);
}
