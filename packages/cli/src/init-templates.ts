import { stringify } from "yaml";
import type { InitAnswers } from "./init-answers.js";
import { FIRST_PARTY_PLUGINS, pluginCandidates } from "./plugin-names.js";

/** The npm package a plugin of `fap init` is installed as. */
export function pluginPackage(name: string): string {
  if (FIRST_PARTY_PLUGINS.includes(name)) return `@fap/plugin-${name}`;
  return pluginCandidates(name)[0] ?? name;
}

/** A JS identifier for a plugin's default import: `webpack-build` → `webpackBuild`. */
export function pluginIdentifier(name: string): string {
  const last = name.split("/").pop()!.replace(/^(fap-)?plugin-/, "");
  const camel = last.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_m, ch: string) => ch.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");
  return /^[A-Za-z_]/.test(camel) ? camel : `plugin${camel}`;
}

/** A typed deploy.config.ts. */
export function configTs(answers: InitAnswers): string {
  const ids = uniqueIdentifiers(answers.plugins);
  const imports = answers.plugins.map((name, i) => `import ${ids[i]} from ${JSON.stringify(pluginPackage(name))};`);
  const calls = answers.plugins.map((name, i) => (name === "git" && answers.repo ? `${ids[i]}({ repo: ${JSON.stringify(answers.repo)} })` : `${ids[i]}()`));
  const lines = [
    `import { defineConfig } from "@fap/cli";`,
    ...imports,
    "",
    "export default defineConfig({",
    `  app_name: ${JSON.stringify(answers.appName)},`,
    ...(answers.path ? [`  path: ${JSON.stringify(answers.path)},`] : []),
    ...(calls.length > 0 ? [`  plugins: [${calls.join(", ")}],`] : []),
    "  stage_role_configs: {",
    ...answers.stages.flatMap((stage) => [
      `    ${key(stage)}: {`,
      ...answers.roles.map((role) => `      ${key(role)}: { hosts: [${(answers.hosts[`${stage}.${role}`] ?? []).map((h) => JSON.stringify(h)).join(", ")}] },`),
      "    },",
    ]),
    "  },",
    '  // Your own tasks (import { task } from "@fap/cli"): fap run NAME -s STAGE, or hooks: { published: [NAME] }',
    '  // tasks: { "app:check": task({ description: "check the app", run: (ctx) => ctx.run("true", { cwd: ctx.paths.current }) }) },',
    "});",
    "",
  ];
  return lines.join("\n");
}

/** A deploy.yml in Fapistrano's format. */
export function configYaml(answers: InitAnswers): string {
  const doc: Record<string, unknown> = { app_name: answers.appName };
  if (answers.path) doc.path = answers.path;
  if (answers.plugins.length > 0) doc.plugins = answers.plugins.map((name) => (FIRST_PARTY_PLUGINS.includes(name) ? `fapistrano.${name}` : name));
  if (answers.repo && answers.plugins.includes("git")) doc.repo = answers.repo;
  doc.stage_role_configs = Object.fromEntries(
    answers.stages.map((stage) => [stage, Object.fromEntries(answers.roles.map((role) => [role, { hosts: answers.hosts[`${stage}.${role}`] ?? [] }]))]),
  );
  return `# Written by fap init. Every key: docs/config.md\n${stringify(doc)}`;
}

/**
 * The pinned `npx -p` prefix that runs this fap and the plugins without a package.json (a
 * Python app's repository): first-party packages are released in lockstep with @fap/cli, so
 * they are pinned to its version; another author's plugin is named as it is.
 */
export function pinnedNpx(answers: InitAnswers, version: string): string {
  const specs = ["@fap/cli", ...answers.plugins.map(pluginPackage)].map((name) => (name.startsWith("@fap/") ? `${name}@${version}` : name));
  return `npx ${[...new Set(specs)].map((spec) => `-p ${spec}`).join(" ")} fap`;
}

export interface PackageJsonChange {
  /** The new package.json text. */
  text: string;
  /** Packages added to devDependencies. */
  added: string[];
}

/**
 * package.json with @fap/cli and the plugins in devDependencies (packages already listed,
 * in dependencies or devDependencies, are left as they are). `existing` undefined: a new one.
 */
export function updatePackageJson(existing: string | undefined, answers: InitAnswers, version: string): PackageJsonChange {
  const manifest = (existing === undefined ? { name: answers.appName.toLowerCase(), private: true } : JSON.parse(existing)) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const wanted = ["@fap/cli", ...answers.plugins.map(pluginPackage)];
  const has = (name: string) => Boolean(manifest.dependencies?.[name] ?? manifest.devDependencies?.[name]);
  const added = [...new Set(wanted)].filter((name) => !has(name));
  if (added.length > 0) {
    const dev = { ...(manifest.devDependencies ?? {}) };
    for (const name of added) dev[name] = name.startsWith("@fap/") ? `^${version}` : "latest";
    manifest.devDependencies = Object.fromEntries(Object.entries(dev).sort(([a], [b]) => a.localeCompare(b)));
  }
  const indent = existing === undefined ? 2 : (/^[ \t]+(?=")/m.exec(existing)?.[0] ?? 2);
  return { text: `${JSON.stringify(manifest, null, indent)}\n`, added };
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function uniqueIdentifiers(names: readonly string[]): string[] {
  const used = new Set(["defineConfig"]);
  return names.map((name) => {
    let id = pluginIdentifier(name);
    for (let n = 2; used.has(id); n++) id = `${pluginIdentifier(name)}${n}`;
    used.add(id);
    return id;
  });
}
