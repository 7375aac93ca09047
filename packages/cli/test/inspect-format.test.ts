import type { ConfigEntry, DoctorReport } from "@fap/core/internal";
import { describe, expect, it } from "vitest";
import { formatEntries, showEntry } from "../src/commands/config.js";
import { formatDoctor } from "../src/commands/doctor.js";
import { formatTasks } from "../src/commands/tasks.js";
import { maskSecretRefs, secretNames, unmask } from "../src/secret-refs.js";
import { colours } from "../src/style.js";

const plain = colours({ isTTY: false });

describe("secret references in fap config", () => {
  it("are marked instead of read, shown as ***, and named", () => {
    const { config, names } = maskSecretRefs({
      token: "env:API_TOKEN",
      plugins: ["env:NOT_A_SECRET"],
      environment: { DB: "env:DB_PASSWORD", MODE: "prod" },
      stage_role_configs: { production: { web: { hosts: ["a"], key: "env:WEB_KEY" } } },
    });
    expect(names).toEqual(new Map([["token", "API_TOKEN"], ["environment.DB", "DB_PASSWORD"], ["stage_role_configs.production.web.key", "WEB_KEY"]]));
    expect(config.plugins).toEqual(["env:NOT_A_SECRET"]);
    const url = `postgres://u:${String(config.token)}@db`;
    expect(unmask(url)).toBe("postgres://u:***@db");
    expect(secretNames({ a: url, b: [config.environment] })).toEqual(["API_TOKEN", "DB_PASSWORD"]);
  });

  it("show each entry's value and source, flagging keys nothing reads", () => {
    const entries: ConfigEntry[] = [
      { key: "api_key", value: "k3y-value", source: "top level", owner: "p", secret: true },
      { key: "url", value: "https://x/?k=k3y-value", source: "plugin p", owner: "p", secret: false },
      { key: "environment", value: { TOKEN: maskSecretRefs({ stage_role_configs: {}, t: "env:TOKEN" }).config.t }, source: "top level", owner: "core", secret: false },
      { key: "keep_release", value: 3, source: "stage production", owner: undefined, secret: false },
      { key: "host", value: "web1", source: "runtime", owner: undefined, secret: false },
    ];
    const redact = (t: string) => t.replace("k3y-value", "***");
    expect(formatEntries(entries.map((e) => showEntry(e, redact)))).toEqual([
      "api_key       ***               top level",
      "url           https://x/?k=***  plugin p",
      'environment   {"TOKEN":"***"}   top level (env:TOKEN)',
      "!keep_release  3                 stage production  ← not read by core or any plugin (a typo?)",
      "host          web1              runtime",
    ]);
  });
});

describe("formatTasks", () => {
  it("aligns name, description (with roles) and origin", () => {
    expect(
      formatTasks([
        { name: "deploy", description: "deploy it", from: "built-in" },
        { name: "db:migrate", description: "migrate", from: "deploy.config.ts", roles: ["web", "cron"] },
      ]),
    ).toEqual(["deploy      deploy it                   built-in", "db:migrate  migrate (roles: web, cron)  deploy.config.ts"]);
  });
});

describe("formatDoctor", () => {
  it("prints one ✓/✗ line per check, a fix under each ✗, and a verdict", () => {
    const report: DoctorReport = {
      ok: false,
      hosts: [
        { host: "web1", stage: "production", role: "web", checks: [{ name: "connect", ok: true, message: "connects as deploy@10.0.0.1:22 with ssh-agent" }] },
        { host: "web2", stage: "production", role: "web", checks: [{ name: "git", ok: false, message: "git not found (needed by fap:git)", hint: "apt-get install git" }] },
      ],
    };
    expect(formatDoctor(report, plain)).toEqual([
      "web1 (production.web)",
      "  ✓ connect  connects as deploy@10.0.0.1:22 with ssh-agent",
      "",
      "web2 (production.web)",
      "  ✗ git      git not found (needed by fap:git)",
      "             fix: apt-get install git",
      "",
      "1 of 2 hosts need attention: web2",
    ]);
  });
});
