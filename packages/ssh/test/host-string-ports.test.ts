import { describe, expect, it } from "vitest";
import { parseHostString, parsePort } from "../src/host-string.js";

// The port of a host string: digits only, 1 to 65535, as ssh's own -p takes it.
describe("host string ports", () => {
  it.each([
    ["web1:1", 1],
    ["web1:65535", 65535],
    ["web1:022", 22],
    ["deploy@[::1]:65535", 65535],
  ])("%s has port %i", (input, port) => {
    expect(parseHostString(input).port).toBe(port);
  });

  it.each([
    ["web1:22x", "invalid host 'web1:22x': '22x' is not a port number"],
    ["web1:x22", "invalid host 'web1:x22': 'x22' is not a port number"],
    ["web1:2 2", "invalid host 'web1:2 2': it contains a space or a control character"],
    ["web1:-22", "invalid host 'web1:-22': '-22' is not a port number"],
    ["web1:+22", "invalid host 'web1:+22': '+22' is not a port number"],
    ["web1:22.0", "invalid host 'web1:22.0': '22.0' is not a port number"],
    ["web1:0x16", "invalid host 'web1:0x16': '0x16' is not a port number"],
    ["web1:123456", "invalid host 'web1:123456': '123456' is not a port number"],
    ["web1:0", "invalid host 'web1:0': port 0 is out of range"],
    ["web1:00000", "invalid host 'web1:00000': port 0 is out of range"],
    ["web1:65536", "invalid host 'web1:65536': port 65536 is out of range"],
    ["web1:99999", "invalid host 'web1:99999': port 99999 is out of range"],
    ["[::1]:", "invalid host '[::1]:': '' is not a port number"],
    ["[::1]:22x", "invalid host '[::1]:22x': '22x' is not a port number"],
  ])("refuses %j with one line saying why", (input, message) => {
    expect(() => parseHostString(input)).toThrow(message);
  });

  it("names the config entry it was given in the message and hints at every accepted form", () => {
    try {
      parsePort("22x", "host1 in stage production");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        code: "E_CONFIG",
        message: "invalid host 'host1 in stage production': '22x' is not a port number",
        hint: "write a host as alias, host, user@host, host:port, user@host:port or [ipv6]:port",
      });
    }
    expect(parsePort("1", "x")).toBe(1);
    expect(parsePort("65535", "x")).toBe(65535);
  });
});
