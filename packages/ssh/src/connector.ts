import os from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import { FapError, type Connector, type ConnectorOptions, type HostAddress, type Remote, type ResolvedAddress } from "@fap/core/internal";
import { ChannelQueue } from "./channel-queue.js";
import { Connection } from "./connection.js";
import { clientAuth, describeAddress, openClient } from "./open-client.js";
import { SshRemote } from "./remote.js";
import { closeIdlest, connectionBudget } from "./open-file-budget.js";
import { MAX_JUMPS, jumpLoop, proxyCommandRefused, splitJump, type Hop } from "./proxy-jump.js";
import { retryDropped } from "./retry-dropped.js";
import { loadSshConfig, localUserName, resolveSshTarget, type SshTarget } from "./ssh-config.js";
import type { SshConfigSource } from "./ssh-config-include.js";

export interface SshConnectorOptions extends ConnectorOptions {
  /** Store keys of hosts not yet in known_hosts instead of refusing them. */
  acceptNewHostKeys?: boolean;
  /**
   * Refuse every key not in known_hosts, whatever acceptNewHostKeys and StrictHostKeyChecking
   * say: for connections opened before the config has named their host (see @fap/cli's
   * remembered hosts), which must not store a key for a host the run may not use.
   */
  knownHostKeysOnly?: boolean;
  /** Abandons every connection still being opened: each fails at once (a guess the run turned out not to need). */
  signal?: AbortSignal;
  /** The local user's home: ~ in paths, ~/.ssh/config, default keys. Defaults to $HOME. */
  home?: string;
  /** Default: <home>/.ssh/config. */
  sshConfigPath?: string;
  /**
   * The one known_hosts file to read and write. Default: UserKnownHostsFile from the ssh config
   * (plus the system-wide files), else <home>/.ssh/known_hosts.
   */
  knownHostsPath?: string;
  /** ssh-agent socket. Default: IdentityAgent from the ssh config, else $SSH_AUTH_SOCK; "none" for no agent. */
  agent?: string;
  /** Time for TCP connect + handshake + authentication. Default 20000. */
  readyTimeoutMs?: number;
  /** Channels open at once on one connection; more wait in line. Default 8 (sshd allows 10). */
  maxChannelsPerHost?: number;
  /**
   * SSH handshakes in progress at once; more hosts wait their turn, and readyTimeoutMs counts
   * from their turn. Default 64: hundreds at once share the CPU so evenly that each one takes as
   * long as all of them, and some run past the timeout.
   */
  maxHandshakes?: number;
  /** SSH keepalive so a dead peer is noticed during long commands. Default 15000; 0 disables. */
  keepaliveIntervalMs?: number;
}

interface PoolEntry {
  /** The host as the user wrote it, for "still opening" messages. */
  label: string;
  promise: Promise<Connection>;
  connection?: Connection;
}

/**
 * Opens one ssh2 connection per user@hostname:port for the whole run and shares it between
 * every command and every caller: round trips, not bytes, make a deploy slow.
 */
export class SshConnector implements Connector {
  private readonly home: string;
  private readonly pool = new Map<string, PoolEntry>();
  /** Connections kept open at once, from the open-file limit (see open-file-budget.ts). */
  private readonly budget = connectionBudget();
  private readonly jumpHosts = new Set<string>();
  /** The ssh config, read once, and the handshake turns: shared with the connectors guessing() makes. */
  private shared: { sshConfig?: Promise<SshConfigSource | undefined>; handshakes: ChannelQueue };

  constructor(private readonly options: SshConnectorOptions = {}) {
    this.home = options.home ?? os.homedir();
    this.shared = { handshakes: new ChannelQueue(options.maxHandshakes ?? 64) };
  }

  /**
   * A connector for connections opened on a guess, before the config has named their hosts
   * (@fap/cli's remembered hosts): it refuses host keys not in known_hosts and its attempts fail
   * at once when `signal` aborts. Its pool is its own, so that it can be closed alone; the ssh
   * config and the handshake turns are this connector's: the run reads ~/.ssh/config once, not
   * once more per guess (9 parses of a 200-host config cost 0.15 s of CPU), and its guesses
   * take their turns with its own handshakes, within maxHandshakes.
   */
  guessing(signal: AbortSignal): SshConnector {
    const guess = new SshConnector({ ...this.options, knownHostKeysOnly: true, signal });
    guess.shared = this.shared;
    return guess;
  }

  async resolve(address: HostAddress): Promise<ResolvedAddress> {
    const { hostname, port, user } = await this.target(address);
    return { hostname, port, user };
  }

  async connect(address: HostAddress): Promise<Remote> {
    const target = await this.target(address);
    await this.refuseJumpLoop(target);
    const connection = (): Promise<Connection> => this.connection(target, []);
    const first = await connection();
    const auth = clientAuth.get(first.client);
    return new SshRemote(address.host, { hostname: target.hostname, port: target.port, user: target.user }, connection, auth);
  }

  /** The connections still being opened (host, and where to), for a run that never finished. */
  opening(): string[] {
    return [...this.pool.entries()].filter(([, entry]) => entry.connection === undefined).map(([key, entry]) => `${entry.label} (${key})`);
  }

  async close(): Promise<void> {
    const entries = [...this.pool.values()];
    this.pool.clear();
    await Promise.all(
      entries.map(async (entry) => {
        const connection = await entry.promise.catch(() => undefined);
        await connection?.end();
      }),
    );
  }

  private async target(address: HostAddress, proxyJump?: string): Promise<SshTarget> {
    this.shared.sshConfig ??= loadSshConfig(this.options.sshConfigPath ?? path.join(this.home, ".ssh", "config"), this.home);
    const target = resolveSshTarget(address, await this.shared.sshConfig, { home: this.home, localUser: localUserName() });
    if (proxyJump !== undefined) target.proxyJump = proxyJump;
    return target;
  }

  /**
   * Follows the ProxyJump hops from ~/.ssh/config before anything is opened: two hosts that
   * jump through each other, connected at once, would each wait for the other's connection.
   */
  private async refuseJumpLoop(target: SshTarget): Promise<void> {
    const chain: Hop[] = [{ key: describeAddress(target), label: target.label }];
    for (let current = target; current.proxyJump !== undefined && chain.length <= MAX_JUMPS; ) {
      const { last, rest } = splitJump(current.proxyJump);
      current = await this.target({ host: last }, rest);
      chain.push({ key: describeAddress(current), label: current.label });
      if (chain.slice(0, -1).some((hop) => hop.key === chain.at(-1)!.key)) throw jumpLoop(chain);
    }
  }

  /** The pooled connection, opened on first use and again after it was lost. */
  private connection(target: SshTarget, via: readonly Hop[]): Promise<Connection> {
    const key = describeAddress(target);
    const chain = [...via, { key, label: target.label }];
    // refuseJumpLoop has followed these same hops before anything was opened, so no input reaches
    // this today; it stays because waiting for the pooled connection being opened would hang.
    if (via.some((hop) => hop.key === key)) return Promise.reject(jumpLoop(chain));
    const existing = this.pool.get(key);
    if (existing && !existing.connection?.isLost) {
      existing.connection?.touch();
      return existing.promise;
    }

    closeIdlest(this.pool, this.budget, this.jumpHosts);
    const entry: PoolEntry = {
      label: target.label,
      // A new jump channel each time too: the dropped one is closed.
      promise: retryDropped(() => this.open(target, chain)).then((client) => {
        const connection = new Connection(client, this.options.maxChannelsPerHost ?? 8, () => {
          if (this.pool.get(key) === entry) this.pool.delete(key);
        });
        entry.connection = connection;
        return connection;
      }),
    };
    // A failed connect is forgotten, so the next call tries again.
    entry.promise.catch(() => {
      if (this.pool.get(key) === entry) this.pool.delete(key);
    });
    this.pool.set(key, entry);
    return entry.promise;
  }

  private async open(target: SshTarget, chain: readonly Hop[]) {
    if (target.proxyCommand !== undefined) throw proxyCommandRefused(target);
    const explicit = this.options.knownHostsPath;
    const userFiles = target.userKnownHostsFiles ?? [
      path.join(this.home, ".ssh", "known_hosts"),
      path.join(this.home, ".ssh", "known_hosts2"),
    ];
    const globalFiles = target.globalKnownHostsFiles ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];
    const strict = target.strictHostKeyChecking;
    // The jump host's connection first: holding a turn while waiting for it could use up every turn.
    const sock = await this.jump(target, chain);
    const done = await this.shared.handshakes.acquire();
    try {
      return await openClient({
        target,
        agentSocket: this.options.agent ?? target.identityAgent ?? process.env["SSH_AUTH_SOCK"],
        hostKeys: {
          // An explicit file is the whole truth: tests and tools rely on nothing else being read.
          files: explicit !== undefined ? [explicit] : [...userFiles, ...globalFiles],
          writeFile: explicit ?? userFiles[0],
          acceptNew: this.options.knownHostKeysOnly !== true && (this.options.acceptNewHostKeys === true || strict === "accept-new" || strict === "no"),
          hashNew: target.hashKnownHosts,
        },
        readyTimeoutMs: this.options.readyTimeoutMs ?? 20_000,
        keepaliveIntervalMs: this.options.keepaliveIntervalMs ?? 15_000,
        sock,
        signal: this.options.signal,
      });
    } finally {
      done();
    }
  }

  /** ProxyJump: a direct-tcpip channel through the (pooled) connection to the last hop. */
  private async jump(target: SshTarget, chain: readonly Hop[]): Promise<Duplex | undefined> {
    if (target.proxyJump === undefined) return undefined;
    if (chain.length > MAX_JUMPS) {
      throw new FapError("E_SSH_CONNECT", `more than ${MAX_JUMPS} ProxyJump hops; is there a loop in ~/.ssh/config?`, {
        host: target.label,
      });
    }
    const { last, rest } = splitJump(target.proxyJump);
    const hopTarget = await this.target({ host: last }, rest);
    this.jumpHosts.add(describeAddress(hopTarget));
    const via = await this.connection(hopTarget, chain);
    return new Promise<Duplex>((resolve, reject) => {
      via.client.forwardOut("127.0.0.1", 0, target.hostname, target.port, (error, channel) => {
        if (!error) return resolve(channel);
        reject(
          new FapError("E_SSH_CONNECT", `cannot reach ${describeAddress(target)} through ${last}: ${error.message}`, {
            host: target.label,
            cause: error,
            hint: "the jump host must allow TCP forwarding (AllowTcpForwarding) and reach that address",
          }),
        );
      });
    });
  }
}
