import type { Duplex } from "node:stream";
import { FapError, fapErrorOptions } from "@fap/core/internal";
import ssh2 from "ssh2";
import type { Client, ConnectConfig } from "ssh2";
import { clientAgent } from "./agent-forward.js";
import { loadIdentities, planAuth, usableAgentSocket } from "./auth.js";
import { hostKeyName, readKnownHostsFiles, verifyHostKey, type HostKeyPolicy } from "./host-key-check.js";
import { knownKeyTypes, preferredHostKeyAlgorithms } from "./known-hosts.js";
import type { SshTarget } from "./ssh-config.js";

export interface OpenClientOptions {
  target: SshTarget;
  agentSocket: string | undefined;
  hostKeys: Omit<HostKeyPolicy, "label" | "hostname" | "port" | "hostKeyAlias">;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** A forwarded channel through a jump host, instead of a TCP connection. */
  sock?: Duplex | undefined;
  /** Abandons the connection while it is being opened: it fails at once, its socket destroyed. */
  signal?: AbortSignal | undefined;
}

/** How each open client authenticated (see AuthPlan.used), for fap doctor. */
export const clientAuth = new WeakMap<Client, string>();

/** `user@host:port`, with IPv6 addresses in brackets. */
export function describeAddress(target: Pick<SshTarget, "user" | "hostname" | "port">): string {
  const host = target.hostname.includes(":") ? `[${target.hostname}]` : target.hostname;
  return `${target.user}@${host}:${target.port}`;
}

/**
 * Opens one authenticated ssh2 client. Every failure becomes one FapError that says which host,
 * where it really went, and what to do.
 */
export async function openClient(options: OpenClientOptions): Promise<Client> {
  const { target } = options;
  const identities = await loadIdentities(target.identityFiles, target.identityFilesFromConfig);
  const agentSocket = await usableAgentSocket(options.agentSocket);
  const auth = planAuth({
    user: target.user,
    agentSocket,
    identities,
    identitiesOnly: target.identitiesOnly,
    filesFirst: target.identityFilesFromConfig,
  });
  const policy: HostKeyPolicy = {
    ...options.hostKeys,
    label: target.label,
    hostname: target.hostname,
    port: target.port,
    hostKeyAlias: target.hostKeyAlias,
  };
  const knownTypes = knownKeyTypes(await readKnownHostsFiles(policy.files, hostKeyName(policy)), hostKeyName(policy));

  const client = new ssh2.Client();
  // ssh2 reports a refused host key only as "Host denied (verification failed)"; the real
  // reason is kept here and used instead.
  let hostKeyError: FapError | undefined;
  // Until the key exchange is done nothing was authenticated or run: a drop then can be retried.
  let handshook = false;
  client.once("handshake", () => (handshook = true));

  return new Promise<Client>((resolve, reject) => {
    let done = false;
    const fail = (error: FapError): void => {
      if (done) return;
      done = true;
      options.signal?.removeEventListener("abort", abandon);
      client.removeListener("ready", onReady);
      client.end();
      // Errors after failing (a late socket error) must not crash the process.
      client.on("error", () => {});
      reject(error);
    };
    // A hung server would hold the socket (and the process) until readyTimeout: destroyed now.
    const abandon = (): void => {
      client.destroy();
      fail(new FapError("E_SSH_CONNECT", `connecting to ${describeAddress(target)} was abandoned`, { host: target.label }));
    };
    const onReady = (): void => {
      if (done) return;
      done = true;
      options.signal?.removeEventListener("abort", abandon);
      const used = auth.used();
      if (used !== undefined) clientAuth.set(client, used);
      // onError stays attached (a no-op now) until the Connection adds its own listener a
      // microtask later: an 'error' without any listener would crash the process.
      resolve(client);
    };
    const onError = (error: Error & { level?: string; code?: string }): void => {
      // A broken agent is not fatal: ssh2 goes on with the next method.
      if (error.level === "agent") return;
      if (hostKeyError) return fail(hostKeyError);
      if (error.level === "client-authentication") {
        const methods = auth.serverMethods().join(",") || "publickey";
        return fail(
          // One line: who was refused where, and with which keys (what was skipped, and why).
          new FapError("E_SSH_AUTH", `permission denied (${methods}) as ${describeAddress(target)}; ${auth.describe()}`, {
            host: target.label,
            hint: "the host accepts the keys in its ~/.ssh/authorized_keys: add your public key there, or name the right key with IdentityFile in ~/.ssh/config",
            cause: error,
            details: { address: describeAddress(target) },
          }),
        );
      }
      fail(connectError(target, error, options.readyTimeoutMs, !handshook));
    };
    const onClose = (): void => {
      fail(hostKeyError ?? connectError(target, new Error("connection closed during the handshake"), options.readyTimeoutMs, !handshook));
    };
    client.on("ready", onReady);
    client.on("error", onError);
    client.on("close", onClose);

    const config: ConnectConfig = {
      host: target.hostname,
      port: target.port,
      username: target.user,
      authHandler: auth.handler,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        verifyHostKey(policy, key).then(
          (error) => {
            hostKeyError = error;
            verify(error === undefined);
          },
          (error: unknown) => {
            // A known_hosts file fap cannot use is the user's to fix (E_CONFIG, with its hint).
            hostKeyError =
              error instanceof FapError
                ? new FapError(error.code, error.message, { ...fapErrorOptions(error), host: target.label, cause: error })
                : new FapError("E_SSH_CONNECT", `cannot check the host key: ${(error as Error).message}`, { host: target.label, cause: error });
            verify(false);
          },
        );
      },
      readyTimeout: options.readyTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownTypes) },
    };
    if (options.sock) config.sock = options.sock;
    // Given to ssh2 for forward_agent only (the authHandler above does the authenticating):
    // a channel asking for it (agentForward) then reaches this agent.
    if (agentSocket !== undefined) {
      config.agent = agentSocket;
      clientAgent.set(client, agentSocket);
    }
    try {
      client.connect(config);
    } catch (error) {
      fail(connectError(target, error as Error, options.readyTimeoutMs));
      return;
    }
    // Nagle's algorithm delays each small request on a reused connection by ~40 ms.
    client.setNoDelay(true);
    if (options.signal?.aborted) abandon();
    else options.signal?.addEventListener("abort", abandon, { once: true });
  });
}

function connectError(target: SshTarget, error: Error & { level?: string; code?: string }, readyTimeoutMs: number, beforeHandshake = false): FapError {
  const address = describeAddress(target);
  if (beforeHandshake && isDrop(error)) return droppedError(target, error);
  let reason: string;
  let hint: string | undefined;
  switch (error.code) {
    case "ECONNREFUSED":
      reason = "connection refused";
      hint = `is sshd running on ${target.hostname} port ${target.port}? (HostName/Port come from ~/.ssh/config when set there)`;
      break;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      reason = `host name ${target.hostname} not found`;
      hint = "check the host name, or add a Host entry with HostName to ~/.ssh/config";
      break;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      reason = "no route to host";
      break;
    case "EMFILE":
    case "ENFILE":
      reason = "too many open files";
      hint = "fap keeps a connection per host and closes idle ones only below the open-file limit: raise it (ulimit -Hn, LimitNOFILE, limits.conf), or lower parallel";
      break;
    case "ETIMEDOUT":
      reason = "timed out";
      break;
    default:
      reason = error.level === "client-timeout" ? `no SSH handshake within ${readyTimeoutMs} ms` : error.message;
  }
  return new FapError("E_SSH_CONNECT", `cannot connect to ${address}: ${reason}`, {
    host: target.label,
    hint,
    cause: error,
    details: { address },
  });
}

/**
 * How a server refusing more unauthenticated connections looks from here (sshd past MaxStartups
 * closes right after accepting): reset, or closed before its SSH banner. OpenSSH's ssh says
 * "kex_exchange_identification: Connection closed by remote host" for the same thing.
 */
function isDrop(error: Error & { code?: string }): boolean {
  return (
    error.code === "ECONNRESET" ||
    error.code === "EPIPE" ||
    error.message === "Connection lost before handshake" ||
    error.message === "connection closed during the handshake"
  );
}

/** Marked `dropped`: the connector tries again (see retry-dropped.ts). */
function droppedError(target: SshTarget, error: Error): FapError {
  const address = describeAddress(target);
  return new FapError("E_SSH_CONNECT", `cannot connect to ${address}: the server closed the connection before the SSH handshake`, {
    host: target.label,
    hint: "sshd drops connections past its MaxStartups (default 10:30:100) while many are being opened at once: lower parallel, or raise MaxStartups on that server",
    cause: error,
    details: { address, dropped: true },
  });
}
