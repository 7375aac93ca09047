import { FapError, type ExecOptions } from "@fap/core/internal";
import type { Client, ExecOptions as Ssh2ExecOptions } from "ssh2";

/** ssh2's exec() reads `agentForward` (lib/client.js), which its type declarations leave out. */
type ChannelOptions = Ssh2ExecOptions & { agentForward?: boolean };

/** The ssh-agent socket each open client can forward (ssh2 was given it as `agent`). */
export const clientAgent = new WeakMap<Client, string>();

/**
 * ssh2's options for a channel of `forward_agent` (ExecOptions.forwardAgent): the host's
 * commands get an SSH_AUTH_SOCK leading back to the deployer's agent. sshd grants it once per
 * connection, so the connection's later channels have it as well; no run asks for anything else.
 */
export function agentChannelOptions(client: Client, label: string, options: ExecOptions): ChannelOptions {
  if (options.forwardAgent !== true) return {};
  if (!clientAgent.has(client)) {
    throw new FapError("E_CONFIG", "forward_agent is set, but there is no ssh-agent to forward", {
      host: label,
      hint: "start one and add your key (eval \"$(ssh-agent)\" && ssh-add), or name its socket with IdentityAgent in ~/.ssh/config",
    });
  }
  return { agentForward: true };
}

/** ssh2's message when sshd refuses the agent ("Unable to request agent forwarding"). */
export function agentRefused(error: Error, label: string, command: string): FapError | undefined {
  if (!/agent forwarding/i.test(error.message)) return undefined;
  return new FapError("E_SSH_CONNECT", "the host refuses to forward the ssh-agent (forward_agent)", {
    host: label,
    hint: "its sshd_config has AllowAgentForwarding no, or its authorized_keys line no-agent-forwarding: allow it there, or unset forward_agent",
    cause: error,
    details: { command },
  });
}
