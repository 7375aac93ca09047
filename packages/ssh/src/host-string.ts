import { FapError } from "@fap/core/internal";

/** What a host string says by itself, before ~/.ssh/config is consulted. */
export interface HostString {
  /** An ~/.ssh/config alias, a host name or an IP address (IPv6 without brackets). */
  host: string;
  user?: string | undefined;
  port?: number | undefined;
}

/**
 * Parses `alias`, `user@host`, `host:port`, `user@host:port`, `[ipv6]:port` and a bare IPv6
 * address. The last `@` separates the user because user names from directories may contain one.
 */
export function parseHostString(input: string): HostString {
  const text = input.trim();
  if (text === "") throw invalid(input, "it is empty");
  // No host name or user name holds one; a space is usually two hosts written as one string.
  if (/[\s\x00-\x1f\x7f]/.test(text)) throw invalid(input, "it contains a space or a control character");

  const at = text.lastIndexOf("@");
  const user = at === -1 ? undefined : text.slice(0, at);
  if (user === "") throw invalid(input, "the user before '@' is empty");
  const rest = at === -1 ? text : text.slice(at + 1);

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1) throw invalid(input, "'[' is not closed");
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(":")) throw invalid(input, `unexpected '${after}' after ']'`);
      portText = after.slice(1);
    }
  } else {
    const colons = rest.split(":").length - 1;
    // More than one colon without brackets can only be an IPv6 address, never host:port.
    if (colons === 1) {
      const colon = rest.indexOf(":");
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    } else {
      host = rest;
    }
  }
  if (host === "") throw invalid(input, "the host is empty");

  const result: HostString = { host };
  if (user !== undefined) result.user = user;
  if (portText !== undefined) result.port = parsePort(portText, input);
  return result;
}

export function parsePort(text: string, context: string): number {
  if (!/^\d{1,5}$/.test(text)) throw invalid(context, `'${text}' is not a port number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw invalid(context, `port ${port} is out of range`);
  return port;
}

function invalid(input: string, why: string): FapError {
  return new FapError("E_CONFIG", `invalid host '${input}': ${why}`, {
    hint: "write a host as alias, host, user@host, host:port, user@host:port or [ipv6]:port",
  });
}
