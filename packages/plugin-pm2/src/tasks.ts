import { FapError, sh, task, type HostContext, type Task } from "@fap/core";
import { lastNonEmptyLine } from "@fap/core/internal";
import { formatProcess, parseWaitOutput, type Pm2Process } from "./output.js";
import { pm2Function } from "./reload-command.js";
import { readSettings } from "./settings.js";
import { MARK } from "./_wait-script.js";

/** Prints one marked line per process of the app, from `pm2 jlist` read on the host (never printed whole: it holds the app's environment). */
const STATUS_SCRIPT = `
const out = require("child_process").execFileSync(process.argv[1], JSON.parse(process.argv[2]), { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
const start = out.search(/^\\[/m);
for (const p of JSON.parse(start < 0 ? "[]" : out.slice(start)).filter((p) => p.name === process.argv[3])) {
  const e = p.pm2_env;
  const up = e.status === "online" ? Math.round((Date.now() - e.pm_uptime) / 1000) : 0;
  console.log(${JSON.stringify(MARK)} + "proc " + [p.pm_id, e.status, e.restart_time || 0, up, e.pm_exec_path].join(" "));
}
`;

/** What pm2 reports for pm2_name on this host, one line per process. */
export async function pm2Status(ctx: HostContext): Promise<Pm2Process[]> {
  const settings = readSettings(ctx.config);
  const [bin, ...args] = settings.bin;
  const command = [pm2Function(settings), sh`node -e ${STATUS_SCRIPT} ${bin!} ${JSON.stringify([...args, "jlist"])} ${settings.name}`].join("\n");
  const result = await ctx.run(command, { allowFailure: true, quiet: true, readOnly: true });
  if (ctx.dryRun) return [];
  if (result.exitCode !== 0) {
    throw new FapError("E_COMMAND_FAILED", `pm2 jlist failed: ${lastNonEmptyLine(result.stderr) ?? `exit code ${result.exitCode}`}`, {
      host: ctx.host,
      hint: "check pm2_bin and pm2_home",
    });
  }
  const { states: processes } = parseWaitOutput(result.stdout);
  if (processes.length === 0) ctx.log(`pm2 runs no app named ${settings.name}`, "warn");
  for (const p of processes) ctx.log(formatProcess(settings.name, p));
  return processes;
}

/** The plugin's tasks: `fap run pm2:status`. */
export const pm2Tasks: Readonly<Record<"pm2:status", Task>> = {
  "pm2:status": task({ description: "show what pm2 reports for pm2_name", run: pm2Status }),
};
