import { CORE_KEYS, filterHosts, isFapError, mergeLayers, selectTargets, type Connector, type FapConfig, type HostAddress, type Remote, type ResolvedAddress } from "@fap/core/internal";
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
 *
 * Earlier still, before the config is read, it can open connections to the hosts the last
 * run with the same selection connected to (remembered-hosts.ts): speculate(). Those are
 * only a guess until start() is told the config's own addresses: the ones it names become
 * early attempts of the run, the others are closed unused and their errors never shown.
 */
export class EarlyConnector implements Connector {
  /** Attempts the run has not asked for yet. */
  private readonly early = new Map<string, Promise<Remote>>();
  /**
   * Attempts opened on a guess, each on a connector of its own (so that one the config does
   * not name can be closed alone) that refuses host keys not in known_hosts.
   */
  private readonly guessed = new Map<string, { attempt: Promise<Remote>; connector: Connector; abandon: AbortController }>();
  private readonly guessConnectors: Array<Connector & { opening?(): string[] }> = [];
  /** Every attempt started: the inner connector pools a connection only once its target is read. */
  private readonly started: Array<Promise<unknown>> = [];
  private unasked: NodeJS.Timeout | undefined;
  /** Closing the early connections the run did not ask for in time: its connects wait for that. */
  private abandoning: Promise<void> | undefined;

  constructor(private readonly inner: Connector & { opening?(): string[] }) {}

  /**
   * Opens connections to addresses the config has not named yet, each with a connector from
   * `connector(signal)`, whose attempts must fail at once when the signal aborts.
   */
  speculate(addresses: readonly HostAddress[], connector: (signal: AbortSignal) => Connector & { opening?(): string[] }): void {
    for (const address of addresses) {
      const key = addressKey(address);
      if (this.guessed.has(key)) continue;
      const abandon = new AbortController();
      const own = connector(abandon.signal);
      const attempt = own.connect(address);
      attempt.catch(() => {});
      this.guessConnectors.push(own);
      this.guessed.set(key, { attempt, connector: own, abandon });
      this.started.push(attempt);
    }
    this.closeUnasked();
  }

  /**
   * The config's own addresses: connections guessed right become the run's, the others are
   * closed; the rest start now. Failures wait for the run's connect().
   */
  start(addresses: readonly HostAddress[]): void {
    const named = new Set(addresses.map(addressKey));
    for (const [key, { attempt, connector, abandon }] of this.guessed) {
      if (named.has(key)) continue;
      // An attempt still under way fails at once; one that got through is closed.
      abandon.abort();
      void attempt.then(() => connector.close(), () => {}).catch(() => {});
    }
    for (const address of addresses) {
      const key = addressKey(address);
      if (this.early.has(key)) continue;
      const guess = this.guessed.get(key)?.attempt;
      // A guess refused an unknown host key: the run, which may accept it, tries on its own.
      const attempt = guess ? guess.catch((error: unknown) => (isFapError(error) && error.code === "E_HOST_KEY_UNKNOWN" ? this.inner.connect(address) : Promise.reject(error))) : this.inner.connect(address);
      attempt.catch(() => {});
      this.early.set(key, attempt);
      this.started.push(attempt);
    }
    this.guessed.clear();
    this.closeUnasked();
  }

  /** Nothing but the early connections was asked of the inner connector yet: close them all. */
  private closeUnasked(): void {
    this.unasked ??= setTimeout(() => {
      this.early.clear();
      for (const { abandon } of this.guessed.values()) abandon.abort();
      this.guessed.clear();
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
    return [this.inner, ...this.guessConnectors].flatMap((connector) => connector.opening?.() ?? []);
  }

  /** Once every attempt has got as far as it will (a connection pooled, or an error), closes them all. */
  async close(): Promise<void> {
    clearTimeout(this.unasked);
    this.early.clear();
    // Guesses the config never confirmed (the run failed first) are not waited for.
    for (const { abandon } of this.guessed.values()) abandon.abort();
    this.guessed.clear();
    await Promise.allSettled(this.started);
    await Promise.all([this.inner.close(), ...this.guessConnectors.map((connector) => connector.close().catch(() => {}))]);
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
