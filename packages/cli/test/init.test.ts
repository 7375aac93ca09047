import { describe, expect, it } from "vitest";
import { gatherAnswers, parseHostFlags, type InitAnswers } from "../src/init-answers.js";
import { configTs, configYaml, pinnedNpx, pluginIdentifier, pluginPackage, updatePackageJson } from "../src/init-templates.js";

const answers: InitAnswers = {
  appName: "shop",
  stages: ["production"],
  roles: ["web", "worker"],
  hosts: { "production.web": ["web1", "deploy@web2:2222"], "production.worker": ["jobs1"] },
  plugins: ["git", "webpack-build", "@acme/fap-plugin-slack"],
  repo: "git@example.com:acme/shop.git",
  path: "/srv/www/%(app_name)s",
};

/** A terminal that answers with `replies` in turn, then `rest`; `asked` holds each prompt it was shown. */
function terminal(replies: string[], rest = "") {
  const asked: string[] = [];
  const answer = async (question: string) => {
    asked.push(question);
    return replies.shift() ?? rest;
  };
  return { asked, answer };
}

describe("gatherAnswers", () => {
  it("asks, in a terminal, for what the flags leave out, offering defaults", async () => {
    const { asked, answer } = terminal(["", "production,staging", "", "web1, web2", "web3", "git", ""]);
    const result = await gatherAnswers({}, { appName: "shop", repo: "git@example.com:acme/shop.git" }, answer);
    expect(asked).toEqual([
      "App name [shop]: ",
      "Stages (comma-separated) [production]: ",
      "Roles (comma-separated) [web]: ",
      "Hosts of production.web (ssh aliases or user@host, comma-separated): ",
      "Hosts of staging.web (ssh aliases or user@host, comma-separated): ",
      "Plugins (git, curl, virtualenv, supervisorctl, webpack-build, node, pm2, upload, systemd; comma-separated) [git]: ",
      "Git repository, as the hosts reach it [git@example.com:acme/shop.git]: ",
    ]);
    expect(result).toEqual({
      appName: "shop",
      stages: ["production", "staging"],
      roles: ["web"],
      hosts: { "production.web": ["web1", "web2"], "staging.web": ["web3"] },
      plugins: ["git"],
      repo: "git@example.com:acme/shop.git",
      path: undefined,
    });
  });

  it("asks again, with the reason, after an empty or invalid answer", async () => {
    const { asked, answer } = terminal(["my app", "shop", "", "", "", "web1", "", ""], "git@example.com:acme/shop.git");
    const result = await gatherAnswers({ plugins: "git" }, { appName: "x" }, answer);
    expect(asked).toEqual([
      "App name [x]: ",
      "'my app' is not a valid app name (use letters, digits, '.', '_' and '-'); try again\nApp name [x]: ",
      "Stages (comma-separated) [production]: ",
      "Roles (comma-separated) [web]: ",
      "Hosts of production.web (ssh aliases or user@host, comma-separated): ",
      "no hosts for production.web: give at least one; try again\nHosts of production.web (ssh aliases or user@host, comma-separated): ",
      "Git repository, as the hosts reach it: ",
      "the git plugin needs a repository; try again\nGit repository, as the hosts reach it: ",
      "the git plugin needs a repository; try again\nGit repository, as the hosts reach it: ",
    ]);
    expect(result).toMatchObject({ appName: "shop", hosts: { "production.web": ["web1"] }, repo: "git@example.com:acme/shop.git" });
  });

  it("asks nothing without a terminal: flags, then defaults; hosts are required", async () => {
    const result = await gatherAnswers({ hosts: ["a,b"], roles: "web,cron" }, { appName: "x" });
    expect(result).toMatchObject({ appName: "x", stages: ["production"], roles: ["web", "cron"], plugins: [], hosts: { "production.web": ["a", "b"], "production.cron": ["a", "b"] } });
    await expect(gatherAnswers({}, { appName: "x" })).rejects.toThrow("fap init: no hosts for production.web");
    await expect(gatherAnswers({ hosts: ["a"], plugins: "git" }, { appName: "x" })).rejects.toThrow("the git plugin needs a repository");
    await expect(gatherAnswers({ hosts: ["a"], name: "my app" }, { appName: "x" })).rejects.toThrow("'my app' is not a valid app name");
    await expect(gatherAnswers({ hosts: ["a"], path: "www" }, { appName: "x" })).rejects.toThrow("--path www: must be absolute");
  });

  it("scopes --hosts to a stage or a stage.role", () => {
    expect(parseHostFlags(["all1", "production=p1", "staging.web=s1,s2"], ["production", "staging"], ["web", "worker"])).toEqual({
      "production.web": ["all1", "p1"],
      "production.worker": ["all1", "p1"],
      "staging.web": ["all1", "s1", "s2"],
      "staging.worker": ["all1"],
    });
    expect(() => parseHostFlags(["prod=x"], ["production"], ["web"])).toThrow("'prod' is not one of the stages");
  });
});

describe("init templates", () => {
  it("write a typed deploy.config.ts", () => {
    expect(configTs(answers)).toBe(`import { defineConfig } from "@fap/cli";
import git from "@fap/plugin-git";
import webpackBuild from "@fap/plugin-webpack-build";
import slack from "@acme/fap-plugin-slack";

export default defineConfig({
  app_name: "shop",
  path: "/srv/www/%(app_name)s",
  plugins: [git({ repo: "git@example.com:acme/shop.git" }), webpackBuild(), slack()],
  stage_role_configs: {
    production: {
      web: { hosts: ["web1", "deploy@web2:2222"] },
      worker: { hosts: ["jobs1"] },
    },
  },
  // Your own tasks (import { task } from "@fap/cli"): fap run NAME -s STAGE, or hooks: { published: [NAME] }
  // tasks: { "app:check": task({ description: "check the app", run: (ctx) => ctx.run("true", { cwd: ctx.paths.current }) }) },
});
`);
  });

  it("write Fapistrano's deploy.yml", () => {
    expect(configYaml(answers)).toBe(`# Written by fap init. Every key: docs/config.md
app_name: shop
path: /srv/www/%(app_name)s
plugins:
  - fapistrano.git
  - fapistrano.webpack-build
  - "@acme/fap-plugin-slack"
repo: git@example.com:acme/shop.git
stage_role_configs:
  production:
    web:
      hosts:
        - web1
        - deploy@web2:2222
    worker:
      hosts:
        - jobs1
`);
  });

  it("name plugin packages and identifiers", () => {
    expect(["git", "webpack-build", "fap-plugin-x", "@acme/fap-plugin-slack", "@acme/thing"].map(pluginPackage)).toEqual([
      "@fap/plugin-git",
      "@fap/plugin-webpack-build",
      "fap-plugin-x",
      "@acme/fap-plugin-slack",
      "@acme/thing",
    ]);
    expect(["webpack-build", "fap-plugin-x", "@acme/fap-plugin-slack", "9lives"].map(pluginIdentifier)).toEqual(["webpackBuild", "x", "slack", "plugin9lives"]);
  });

  it("add fap and the plugins to devDependencies, keeping what is there and its indentation", () => {
    const existing = `{\n\t"name": "shop",\n\t"dependencies": { "@fap/plugin-git": "1.0.0" },\n\t"devDependencies": { "zod": "^3" }\n}\n`;
    const change = updatePackageJson(existing, answers, "0.3.1");
    expect(change.added).toEqual(["@fap/cli", "@fap/plugin-webpack-build", "@acme/fap-plugin-slack"]);
    expect(JSON.parse(change.text).devDependencies).toEqual({
      "@acme/fap-plugin-slack": "latest",
      "@fap/cli": "^0.3.1",
      "@fap/plugin-webpack-build": "^0.3.1",
      zod: "^3",
    });
    expect(change.text).toMatch(/^\{\n\t"name": "shop",/);
    expect(updatePackageJson(undefined, { ...answers, plugins: [] }, "0.1.0").text).toBe(
      `{\n  "name": "shop",\n  "private": true,\n  "devDependencies": {\n    "@fap/cli": "^0.1.0"\n  }\n}\n`,
    );
  });
});

describe("pinnedNpx: fap without a package.json", () => {
  it("pins @fap/cli and the first-party plugins to fap's version, and names another author's plugin as it is", () => {
    expect(pinnedNpx(answers, "0.3.1")).toBe("npx -p @fap/cli@0.3.1 -p @fap/plugin-git@0.3.1 -p @fap/plugin-webpack-build@0.3.1 -p @acme/fap-plugin-slack fap");
  });
});
