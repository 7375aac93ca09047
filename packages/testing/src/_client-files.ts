import { configWord } from "./_config-word.js";
import type { PublicKey } from "./_keys.js";

export interface ClientHostEntry {
  alias: string;
  port: number;
  user: string;
}

/** known_hosts names a non-22 port as "[host]:port". */
export function knownHostsLine(port: number, key: PublicKey): string {
  return `[127.0.0.1]:${port} ${key.type} ${key.base64}`;
}

/** An ssh_config usable with `ssh -F`; it names every file, so nothing under the real ~/.ssh is read. */
export function renderSshConfig(hosts: readonly ClientHostEntry[], identityFile: string, knownHostsFile: string): string {
  return hosts
    .map((host) =>
      [
        `Host ${host.alias}`,
        "  HostName 127.0.0.1",
        `  Port ${host.port}`,
        `  User ${host.user}`,
        `  IdentityFile ${configWord(identityFile)}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${configWord(knownHostsFile)}`,
        "",
      ].join("\n"),
    )
    .join("\n");
}
