import { doctor, type DoctorReport } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { prepareRun } from "../session-options.js";
import { colours, type Colours } from "../style.js";

/**
 * `fap doctor -s STAGE`: for each host, one ✓/✗ line per check (connection, host key, deploy
 * path, disk, lock, the tools the plugins need), each ✗ with how to fix it. Exits 1 when
 * something is wrong. Reads only; secrets are not needed.
 */
export async function runDoctor(common: CommonOptions & { json?: boolean }, extraArgs: readonly string[]): Promise<void> {
  const { options, connector } = await prepareRun(common, extraArgs, (m) => process.stderr.write(`warning: ${m}\n`), { secrets: "mask" });
  try {
    const report = await doctor(options);
    const out = process.stdout;
    if (common.json) {
      for (const host of report.hosts) out.write(`${JSON.stringify(host)}\n`);
    } else {
      for (const line of formatDoctor(report, colours(out))) out.write(`${line}\n`);
    }
    if (!report.ok) process.exitCode = 1;
  } finally {
    await connector.close();
  }
}

export function formatDoctor(report: DoctorReport, c: Colours): string[] {
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
  const all = [...new Set(report.hosts.map((h) => h.host))];
  const bad = [...new Set(report.hosts.filter((h) => h.checks.some((check) => !check.ok)).map((h) => h.host))];
  const hosts = (n: number) => `${n} host${n === 1 ? "" : "s"}`;
  lines.push("");
  lines.push(bad.length === 0 ? c.green(`all ${hosts(all.length)} ready`) : c.red(`${bad.length} of ${hosts(all.length)} need attention: ${bad.join(", ")}`));
  return lines;
}
