import { configWord } from "./_config-word.js";

export interface SshdConfigInput {
  port: number;
  hostKey: string;
  pidFile: string;
  authorizedKeysFile: string;
  mountPoint: string;
  /** Default "200". */
  maxStartups?: string;
  /** Loopback addresses besides 127.0.0.1. */
  extraListenAddresses?: readonly string[];
}

/**
 * A self-contained sshd_config: nothing from /etc/ssh applies, so the developer's own sshd settings
 * cannot change test outcomes.
 */
export function renderSshdConfig(input: SshdConfigInput): string {
  return [
    `Port ${input.port}`,
    "ListenAddress 127.0.0.1",
    ...(input.extraListenAddresses ?? []).map((address) => `ListenAddress ${loopbackAddress(address)}`),
    `HostKey ${configWord(input.hostKey)}`,
    `PidFile ${configWord(input.pidFile)}`,
    `AuthorizedKeysFile ${configWord(input.authorizedKeysFile)}`,
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    // PAM would run the machine's session stack (motd, lastlog, limits) on every login.
    "UsePAM no",
    // The key files live in a world-readable temp dir.
    "StrictModes no",
    "PermitRootLogin prohibit-password",
    "Subsystem sftp internal-sftp",
    // Parallel deploys open many channels and connections at once; the defaults (10, 10:30:100) drop some.
    "MaxSessions 64",
    `MaxStartups ${maxStartups(input.maxStartups ?? "200")}`,
    // bash, started by sshd, sources $HOME/.bashrc even for `ssh host cmd`; the real root's one is slow
    // (pyenv), so HOME points into the host's own view. No AcceptEnv: the client's environment stays out.
    `SetEnv ${configWord(`HOME=${input.mountPoint}`)}`,
    "PermitUserRC no",
    "PrintMotd no",
    "PrintLastLog no",
    "UseDNS no",
    "X11Forwarding no",
    "LogLevel ERROR",
    "",
  ].join("\n");
}

/** A test host listens on loopback only. */
function loopbackAddress(address: string): string {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address)) throw new Error(`extraListenAddresses: ${JSON.stringify(address)} is not a 127.x.y.z address`);
  return address;
}

function maxStartups(value: string): string {
  if (!/^\d+(:\d+:\d+)?$/.test(value)) throw new Error(`maxStartups: ${JSON.stringify(value)} is not N or START:RATE:FULL`);
  return value;
}
