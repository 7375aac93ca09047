// The bench's targets (stated in bench/README.md and docs/performance.md), checked against one
// result set. Each: what it measures, measured, limit, pass.
import { ratio } from "./stats.mjs";

const med = (result, h, kind, variant) => {
  const runs = result.deploy.find((d) => d.hosts === h)?.[kind]?.[variant]?.filter((r) => r.ok) ?? [];
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export { med as medianMs };

export function checkTargets(result) {
  const targets = [];
  const add = (what, measured, limit, unit = "×", reference = false) => {
    if (Number.isFinite(measured)) targets.push({ what, measured, limit, unit, pass: measured <= limit, reference });
  };
  for (const kind of ["fresh", "redeploy"]) {
    add(`1 host ${kind}: fap / limit`, ratio(med(result, 1, kind, "fap"), med(result, 1, kind, "limit")), 1.2);
    add(`10 hosts ${kind}: fap / Capistrano`, ratio(med(result, 10, kind, "fap"), med(result, 10, kind, "capistrano")), 0.5);
    add(`10 hosts ${kind}: fap / Shipit`, ratio(med(result, 10, kind, "fap"), med(result, 10, kind, "shipit")), 0.25);
    add(`50 hosts ${kind}: fap / limit`, ratio(med(result, 50, kind, "fap"), med(result, 50, kind, "limit")), 1.3);
    add(`fap 50 hosts / 1 host (${kind}, --parallel 50)`, ratio(med(result, 50, kind, "fap"), med(result, 1, kind, "fap")), 2);
    // Not a target: how much the limit itself grows here, where all hosts share the bench machine's CPUs.
    add(`(reference) limit script 50 hosts / 1 host (${kind})`, ratio(med(result, 50, kind, "limit"), med(result, 1, kind, "limit")), 2, "×", true);
    // Below 1: fap's wall time grows less from 1 to 50 hosts than the limit's does on the same machine.
    const growth = (variant) => ratio(med(result, 50, kind, variant), med(result, 1, kind, variant));
    add(`(reference) fap's growth / the limit's growth (${kind})`, ratio(growth("fap"), growth("limit")), 1, "×", true);
    // Large fleets: fap's own cost per host must stay close to the limit's, and far below Capistrano's.
    add(`200 hosts ${kind}: fap / limit`, ratio(med(result, 200, kind, "fap"), med(result, 200, kind, "limit")), 1.2);
    add(`200 hosts ${kind}: fap / Capistrano`, ratio(med(result, 200, kind, "fap"), med(result, 200, kind, "capistrano")), 0.25);
    add(`500 hosts ${kind}: fap / limit (every host deployed right)`, ratio(med(result, 500, kind, "fap"), med(result, 500, kind, "limit")), 1.3);
    // Not targets: what fap's guarantees (a barrier between lock, release, switch and unlock)
    // cost on this machine, and fap's own cost on top of them.
    for (const h of [1, 50, 200, 500]) {
      add(`(reference) ${h} host${h === 1 ? "" : "s"} ${kind}: limit with fap's barriers / limit`, ratio(med(result, h, kind, "phased"), med(result, h, kind, "limit")), Infinity, "×", true);
      add(`(reference) ${h} host${h === 1 ? "" : "s"} ${kind}: fap / limit with fap's barriers`, ratio(med(result, h, kind, "fap"), med(result, h, kind, "phased")), Infinity, "×", true);
    }
    // Not a target: the limit's own growth per host on this machine, to tell fap's cost from the machine's.
    for (const [from, to] of [[50, 200], [200, 500]]) {
      const perHost = (med(result, to, kind, "limit") - med(result, from, kind, "limit")) / (to - from);
      add(`(reference) limit script, ms per extra host from ${from} to ${to} hosts (${kind})`, perHost, Infinity, " ms", true);
    }
  }
  const rss500 = ["fresh", "redeploy"].flatMap((k) => (result.deploy.find((d) => d.hosts === 500)?.[k]?.fap ?? []).filter((r) => r.ok).map((r) => r.maxRssKiB / 1024));
  if (rss500.length) add("500 hosts: fap peak RSS (MiB)", Math.max(...rss500), 200, " MiB");
  const roundTrips = result.deploy.map((d) => d.roundTrips?.redeploy?.execPerHost?.max).filter(Number.isFinite);
  if (roundTrips.length) add("round trips per host, no-op redeploy (exec channels)", Math.max(...roundTrips), 6, "");
  const startup = result.startup?.commands ?? {};
  add("fap --version, over node -e 0 (ms)", startup["fap --version"]?.median - startup["node -e 0"]?.median, 30, " ms");
  add("fap run deploy --dry-run, deploy.config.ts (ms)", startup["fap run deploy --dry-run (deploy.config.ts)"]?.median, 250, " ms");
  const memory = result.memory?.runs?.filter((r) => r.ok).map((r) => r.maxRssKiB / 1024);
  if (memory?.length) add(`${result.memory.hosts} hosts: peak RSS (MiB)`, Math.max(...memory), 300, " MiB");
  return targets;
}
