import { doctor, type DoctorReport } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { lookAtHosts, writeJsonLines } from "../read-only-run.js";
import { describeOrigin, pluginOrigin } from "../load-plugins.js";
import { colours, type Colours } from "../style.js";

/**
 * `fap doctor -s STAGE`: for each host, one ✓/✗ line per check (connection, host key, deploy
 * path, disk, lock, the tools the plugins need), each ✗ with how to fix it; then one line per
 * plugin named in the config saying which package it loaded and from where. Exits 1 when
 * something is wrong. Reads only; secrets are not needed.
 */
export async function runDoctor(common: CommonOptions & { json?: boolean }, extraArgs: readonly string[]): Promise<void> {
  await lookAtHosts(common, extraArgs, async (options) => {
    const report = await doctor(options);
    const out = process.stdout;
    if (common.json) {
      writeJsonLines(out, report.hosts);
    } else {
      // Which package each plugin name loaded, and from where: a global fap may find another than the project's.
      const origins = options.fap.plugins.flatMap((plugin) => pluginOrigin(plugin) ?? []).map(describeOrigin);
      for (const line of formatDoctor(report, colours(out), origins)) out.write(`${line}\n`);
    }
    if (!report.ok) process.exitCode = 1;
  });
}

export function formatDoctor(report: DoctorReport, c: Colours, plugins: readonly string[] = []): string[] {
  const lines: string[] = [];
  const nameWidth = Math.max(...report.hosts.flatMap((h) => h.checks.map((check) => check.name.length)));
  report.hosts.forEach((host, i) => {
    if (i > 0) lines.push("");
    lines.push(`${c.bold(host.host)} ${c.dim(`(${host.stage}.${host.role})`)}`);
    for (const check of host.checks) {
      const mark = check.ok ? c.green("✓") : c.red("✗");
      lines.push(`  ${mark} ${check.name.padEnd(nameWidth)}  ${check.message}`);
      if (!check.ok && check.hint) lines.push(`    ${" ".repeat(nameWidth)}  ${c.dim(`fix: ${check.hint}`)}`);
    }
  });
  if (plugins.length > 0) lines.push("", ...plugins.map((line) => c.dim(line)));
  const all = [...new Set(report.hosts.map((h) => h.host))];
  const bad = [...new Set(report.hosts.filter((h) => h.checks.some((check) => !check.ok)).map((h) => h.host))];
  const hosts = (n: number) => `${n} host${n === 1 ? "" : "s"}`;
  lines.push("");
  lines.push(bad.length === 0 ? c.green(`all ${hosts(all.length)} ready`) : c.red(`${bad.length} of ${hosts(all.length)} need attention: ${bad.join(", ")}`));
  return lines;
}
