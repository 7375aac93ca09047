import { describe, expect, it } from "vitest";
import { parseHostString } from "../src/host-string.js";

describe("parseHostString", () => {
  it.each([
    ["web1", { host: "web1" }],
    ["deploy@web1", { host: "web1", user: "deploy" }],
    ["web1:2222", { host: "web1", port: 2222 }],
    ["deploy@web1:2222", { host: "web1", user: "deploy", port: 2222 }],
    ["127.0.0.1:22", { host: "127.0.0.1", port: 22 }],
    ["[::1]:2222", { host: "::1", port: 2222 }],
    ["root@[::1]:2222", { host: "::1", user: "root", port: 2222 }],
    ["[fe80::1]", { host: "fe80::1" }],
    ["::1", { host: "::1" }],
    ["root@2001:db8::5", { host: "2001:db8::5", user: "root" }],
    ["first.last@corp@bastion", { host: "bastion", user: "first.last@corp" }],
    ["  web1  ", { host: "web1" }],
  ])("%s", (input, expected) => {
    expect(parseHostString(input)).toEqual(expected);
  });

  it.each([
    ["", /empty/],
    ["@web1", /user/],
    ["web1:", /not a port/],
    ["web1:abc", /not a port/],
    ["web1:0", /out of range/],
    ["web1:70000", /out of range/],
    ["[::1", /not closed/],
    ["[::1]x", /unexpected/],
    ["root@", /host is empty/],
    [":22", /host is empty/],
    ["web1 web2", /contains a space/],
    ["deploy@web\t1", /contains a space/],
    ["web1\nweb2", /contains a space/],
  ])("rejects %j", (input, message) => {
    expect(() => parseHostString(input)).toThrow(message);
    try {
      parseHostString(input);
    } catch (error) {
      expect((error as { code: string }).code).toBe("E_CONFIG");
    }
  });
});
