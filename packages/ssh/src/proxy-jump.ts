import { FapError } from "@fap/core/internal";
import type { SshTarget } from "./ssh-config.js";

// How the connector reads ProxyJump and ProxyCommand, and what it says when it refuses them.

/** ProxyJump chains longer than this are refused even without a repeated hop. */
export const MAX_JUMPS = 8;

/** One hop of the connections being opened, outermost first: a repeat is a ProxyJump loop. */
export interface Hop {
  key: string;
  label: string;
}

/** `a,b,c`: connect through c, which is reached through `a,b`. */
export function splitJump(proxyJump: string): { last: string; rest: string | undefined } {
  const hops = proxyJump.split(",").map((hop) => hop.trim().replace(/^ssh:\/\//, ""));
  const last = hops.pop() ?? "";
  return { last, rest: hops.length > 0 ? hops.join(",") : undefined };
}

export function jumpLoop(chain: readonly Hop[]): FapError {
  const first = chain[0]!;
  return new FapError("E_CONFIG", `ProxyJump loop in ~/.ssh/config: ${chain.map((hop) => hop.label).join(" → ")}`, {
    host: first.label,
    hint: "a host cannot jump through itself; give the last hop a ProxyJump to a different host, or none",
  });
}

/** Connecting directly where ssh would run a ProxyCommand could reach another machine, or none. */
export function proxyCommandRefused(target: SshTarget): FapError {
  return new FapError("E_CONFIG", `~/.ssh/config sets ProxyCommand (${target.proxyCommand}), which fap does not support`, {
    host: target.label,
    hint: "use ProxyJump instead (ProxyCommand ssh -W %h:%p HOST is ProxyJump HOST), or set ProxyCommand none for this host in a Host block above",
  });
}
