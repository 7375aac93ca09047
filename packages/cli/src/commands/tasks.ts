import path from "node:path";
import { BUILTIN_TASKS, isFapError, taskRoles, type TaskRegistry } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { prepareRun, warnOnStderr } from "../session-options.js";
import { colours } from "../style.js";

export interface TaskLine {
  name: string;
  description: string;
  /** `built-in`, a plugin's name, or the config file. */
  from: string;
  roles?: string[] | undefined;
  /** `once: true`: each role's primary host only. */
  once?: boolean | undefined;
}

/** `fap tasks`: every task `fap run` knows, built-in, the plugins' and the config's, one line each. */
export async function runTasks(common: CommonOptions & { json?: boolean }, extraArgs: readonly string[]): Promise<void> {
  let lines: TaskLine[];
  try {
    const { options, configPath, connector } = await prepareRun(common, extraArgs, warnOnStderr, { secrets: "mask" });
    await connector.close();
    lines = taskLines(options.fap.tasks, path.basename(configPath));
  } catch (error) {
    if (!isFapError(error) || error.code !== "E_CONFIG_NOT_FOUND") throw error;
    process.stderr.write("note: no deploy config here, so only the built-in tasks are listed (fap init writes one)\n");
    lines = taskLines(new Map(), "");
  }
  const out = process.stdout;
  if (common.json) {
    for (const line of lines) out.write(`${JSON.stringify(line)}\n`);
    return;
  }
  const c = colours(out);
  for (const line of formatTasks(lines)) out.write(`${line.replace(/^(\S+)/, (name) => c.bold(name))}\n`);
}

function taskLines(registry: TaskRegistry, configFile: string): TaskLine[] {
  return [
    ...Object.entries(BUILTIN_TASKS).map(([name, description]) => ({ name, description, from: "built-in" })),
    ...[...registry.values()].map((entry) => ({
      name: entry.name,
      description: entry.task.description,
      from: entry.owner === "config" ? configFile || "config" : entry.owner,
      roles: taskRoles(entry.task, registry),
      ...(entry.task.once ? { once: true } : {}),
    })),
  ];
}

/** Name, description (with its roles), and where it comes from, in aligned columns. */
export function formatTasks(lines: readonly TaskLine[]): string[] {
  const described = lines.map((l) => {
    const notes = [l.roles ? `roles: ${l.roles.join(", ")}` : "", l.once ? "primary host only" : ""].filter(Boolean);
    return { ...l, text: notes.length > 0 ? `${l.description} (${notes.join("; ")})` : l.description };
  });
  const nameWidth = Math.max(...described.map((l) => l.name.length));
  const textWidth = Math.max(...described.map((l) => l.text.length));
  return described.map((l) => `${l.name.padEnd(nameWidth)}  ${l.text.padEnd(textWidth)}  ${l.from}`.trimEnd());
}
