import { describe, expect, it } from "vitest";
import type { Client } from "ssh2";
import { agentChannelOptions, agentRefused, clientAgent } from "../src/agent-forward.js";

// Only agent.integration.test.ts reached these (with sshd); the choices themselves need none.
// A client is only a key of the WeakMap here.
const client = () => ({}) as Client;

describe("agentChannelOptions", () => {
  it("asks ssh2 to forward only when forward_agent is on", () => {
    const withAgent = client();
    clientAgent.set(withAgent, "/run/agent.sock");
    expect(agentChannelOptions(withAgent, "host1", { forwardAgent: true })).toEqual({ agentForward: true });
    expect(agentChannelOptions(withAgent, "host1", {})).toEqual({});
    expect(agentChannelOptions(withAgent, "host1", { forwardAgent: false })).toEqual({});
  });

  it("refuses forward_agent without an agent, saying how to start one", () => {
    let error: unknown;
    try {
      agentChannelOptions(client(), "host1", { forwardAgent: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: "E_CONFIG",
      message: "forward_agent is set, but there is no ssh-agent to forward",
      host: "host1",
      hint: 'start one and add your key (eval "$(ssh-agent)" && ssh-add), or name its socket with IdentityAgent in ~/.ssh/config',
    });
    expect(agentChannelOptions(client(), "host1", {})).toEqual({});
  });
});

describe("agentRefused", () => {
  it("turns ssh2's refusal into a clear error naming the command", () => {
    const cause = new Error("Unable to request Agent Forwarding");
    expect(agentRefused(cause, "host1", "git fetch")).toMatchObject({
      code: "E_SSH_CONNECT",
      message: "the host refuses to forward the ssh-agent (forward_agent)",
      host: "host1",
      hint: "its sshd_config has AllowAgentForwarding no, or its authorized_keys line no-agent-forwarding: allow it there, or unset forward_agent",
      cause,
      details: { command: "git fetch" },
    });
  });

  it("leaves any other error alone", () => {
    expect(agentRefused(new Error("Channel open failure"), "host1", "true")).toBeUndefined();
  });
});
