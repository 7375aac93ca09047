import type { ExecResult } from "@fap/core";

export type HostKeyType = "ed25519" | "rsa" | "ecdsa";

export interface StartTestHostsOptions {
  /** How many hosts to start. */
  count: number;
  /** Alias prefix: "host" gives host1, host2, ... */
  prefix?: string;
  /** Where each host sees its private directory; created on the real filesystem if missing. Default "/srv". */
  mountPoint?: string;
  /** Write the hosts' keys into known_hosts. `false` leaves it empty, to test unknown-host refusal. Default true. */
  knownHosts?: boolean;
  /** Default "ed25519". */
  hostKeyType?: HostKeyType;
  /**
   * sshd's MaxStartups: unauthenticated connections it keeps before dropping new ones. Default
   * "200", so that parallel tests never see drops; "10:30:100" is OpenSSH's own default, which
   * real servers have (the bench uses it).
   */
  maxStartups?: string;
  /**
   * Loopback addresses each sshd listens on besides 127.0.0.1 (e.g. "127.0.0.2"), on the same
   * port: ssh config aliases with these as HostName reach one sshd over distinct connections.
   */
  extraListenAddresses?: string[];
}

export interface TestHost {
  /** `Host` alias in the generated ssh config, e.g. "host1". */
  readonly alias: string;
  readonly hostname: "127.0.0.1";
  readonly port: number;
  /** The local user (root): every host logs in as the user running the tests. */
  readonly user: string;
  /** Where the host sees its private directory (`root`), e.g. "/srv"; HOME of its sessions. */
  readonly mountPoint: string;
  /** Local directory that the host sees at the mount point. */
  readonly root: string;
  /** Local path of `remotePath`, a path under the mount point as the host sees it. Throws for any other path. */
  local(remotePath: string): string;
  /** known_hosts line: "[127.0.0.1]:PORT ssh-ed25519 AAAA..." */
  readonly hostKeyLine: string;
  /** "SHA256:..." of the host key, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** Whether its sshd is running. */
  readonly running: boolean;
  /** sshd's pid while running, e.g. to SIGSTOP it and simulate a hung host. */
  readonly pid: number | undefined;
  /** Stops the host: SIGTERM to sshd and every process in the host (SIGKILL after 2 s), then waits. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILLs sshd and every process in the host at once, like pulling the plug: open connections drop. Does not wait. */
  kill(): void;
  /** Starts a stopped or killed host again, on the same port with the same host key. */
  start(): Promise<void>;
  /** Runs `sh -c command` locally inside the host's mount namespace, without ssh, with HOME as in its ssh sessions. Throws if the host is not running. */
  exec(command: string): Promise<ExecResult>;
}

export interface TestHosts {
  readonly hosts: TestHost[];
  /** A throwaway HOME holding .ssh/{config,known_hosts,id_ed25519,id_ed25519.pub}. */
  readonly home: string;
  /** Environment to merge over `process.env` for a child process (e.g. fap) that should only see the test hosts. */
  readonly env: Record<string, string>;
  readonly sshConfigPath: string;
  readonly knownHostsPath: string;
  /** Private key of the client; the hosts accept only this key. */
  readonly identityFile: string;
  /** Temporary directory holding everything; removed by stop(). */
  readonly dir: string;
  /** Stops every host and removes `dir`. Idempotent. */
  stop(): Promise<void>;
}
