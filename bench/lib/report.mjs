// The markdown tables of one result set.
import { busyShare } from "./machine-cpu.mjs";
import { median, ratio } from "./stats.mjs";
import { checkTargets, medianMs } from "./targets.mjs";

const NAMES = { fap: "fap", capistrano: "Capistrano 3.17", shipit: "Shipit 5.3", limit: "limit script", phased: "limit, fap's barriers" };
const s = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : "–");
const x = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}` : "–");
const mib = (kib) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : "–");
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (head, rows) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

function deployTable(result) {
  const variants = result.options.variants;
  const rows = [];
  for (const d of result.deploy) {
    for (const kind of ["fresh", "redeploy"]) {
      const m = (v) => medianMs(result, d.hosts, kind, v);
      const failed = variants.map((v) => (d[kind][v] ?? []).filter((r) => !r.ok).length).reduce((a, b) => a + b, 0);
      rows.push([
        d.hosts, kind, ...variants.map((v) => s(m(v))),
        x(ratio(m("fap"), m("capistrano"))), x(ratio(m("fap"), m("shipit"))), x(ratio(m("fap"), m("limit"))), x(ratio(m("fap"), m("phased"))),
        roundTripsCell(d.roundTrips?.[kind]?.execPerHost),
        mib(Math.max(...(d[kind].fap ?? []).map((r) => r.maxRssKiB))),
        failed,
      ]);
    }
  }
  return table(["hosts", "deploy", ...variants.map((v) => NAMES[v]), "fap/Cap", "fap/Shipit", "fap/limit", "fap/barriers", "fap round trips/host", "fap peak RSS", "failed runs"], rows);
}

/** The same ratios from each variant's fastest run: less moved by other load on the machine. */
function fastestTable(result) {
  const variants = result.options.variants;
  const rows = [];
  for (const d of result.deploy) {
    for (const kind of ["fresh", "redeploy"]) {
      const best = (v) => Math.min(...(d[kind][v] ?? []).filter((r) => r.ok).map((r) => r.ms));
      rows.push([d.hosts, kind, ...variants.map((v) => s(best(v))),
        x(ratio(best("fap"), best("capistrano"))), x(ratio(best("fap"), best("shipit"))), x(ratio(best("fap"), best("limit"))), x(ratio(best("fap"), best("phased")))]);
    }
  }
  return table(["hosts", "deploy", ...variants.map((v) => NAMES[v]), "fap/Cap", "fap/Shipit", "fap/limit", "fap/barriers"], rows);
}

function phaseTable(result) {
  const known = ["building", "built", "starting", "started", "updating", "updated", "publishing", "published", "finishing", "finished"];
  const seen = new Set(result.deploy.flatMap((d) => ["fresh", "redeploy"].flatMap((k) => (d[k].fap ?? []).flatMap((r) => Object.keys(r.phasesMs ?? {})))));
  const all = [...known.filter((p) => seen.has(p)), ...[...seen].filter((p) => !known.includes(p))];
  // Phases no tap sends anything in (0 ms everywhere) only widen the table; they still count in the total.
  const phases = all.filter((p) => result.deploy.some((d) => ["fresh", "redeploy"].some((k) => (d[k].fap ?? []).some((r) => r.phasesMs?.[p] > 0))));
  const rows = [];
  for (const d of result.deploy) {
    for (const kind of ["fresh", "redeploy"]) {
      const runs = (d[kind].fap ?? []).filter((r) => r.ok);
      if (!runs.length) continue;
      const total = median(runs.map((r) => r.ms));
      const per = phases.map((p) => median(runs.map((r) => r.phasesMs?.[p] ?? NaN)));
      const inPhases = all.map((p) => median(runs.map((r) => r.phasesMs?.[p] ?? NaN))).filter(Number.isFinite).reduce((a, b) => a + b, 0);
      rows.push([d.hosts, kind, s(total), ...per.map((v) => (Number.isFinite(v) ? `${Math.round(v)}` : "–")), s(total - inPhases)]);
    }
  }
  return table(["hosts", "deploy", "fap total", ...phases.map((p) => `${p} ms`), "outside phases (start-up, config, connect, inspect, unlock, exit)"], rows);
}

/** The 1-minute load average sampled while each host count ran: the machine is shared. */
function loadLines(result) {
  return result.deploy.filter((d) => d.loadDuring).map((d) =>
    `${d.hosts} hosts: ${d.hostsStartMs} ms to start the sshd; 1-minute load average while measuring ${d.loadDuring.min.toFixed(1)}–${d.loadDuring.max.toFixed(1)} (mean ${d.loadDuring.mean.toFixed(1)}, ${d.loadDuring.samples} samples).`);
}

/** Wall time against the CPU time of the tool's own process (fap and the limit script, which record it). */
function cpuTable(result) {
  const rows = [];
  for (const d of result.deploy) {
    for (const kind of ["fresh", "redeploy"]) {
      const m = (v, key) => median((d[kind][v] ?? []).filter((r) => r.ok).map((r) => r[key] ?? NaN));
      if (!Number.isFinite(m("fap", "cpuMs"))) continue;
      rows.push([d.hosts, kind, s(m("fap", "ms")), s(m("fap", "cpuMs")), s(m("limit", "ms")), s(m("limit", "cpuMs"))]);
    }
  }
  return rows.length ? ["## CPU time of the deploying process (medians)", "",
    table(["hosts", "deploy", "fap wall", "fap process CPU", "limit wall", "limit process CPU"], rows), "",
    "CPU = user + system time of that one Node process (ssh2's crypto, the event loop); the sshd, bash and git on the hosts share the same cores.", ""] : [];
}

/**
 * What each run took of the machine: when its cores are busy for the whole run, the machine is
 * the limit, and the wall time is the CPU every process used (the hosts' included) over them.
 */
function machineTable(result) {
  const rows = [];
  for (const d of result.deploy) {
    for (const kind of ["fresh", "redeploy"]) {
      for (const [name, runs] of Object.entries(d[kind])) {
        const ok = runs.filter((r) => r.ok && r.machineCpuMs !== undefined);
        if (ok.length === 0) continue;
        const wall = median(ok.map((r) => r.ms));
        const machine = median(ok.map((r) => r.machineCpuMs));
        const own = median(ok.map((r) => r.cpuMs ?? NaN));
        const rest = median(ok.map((r) => (r.cpuMs === undefined ? NaN : r.machineCpuMs - r.cpuMs)));
        rows.push([d.hosts, kind, name, s(wall), `${Math.round(busyShare(machine, wall, result.environment.cpus) * 100)}%`, s(machine), s(own), s(rest)]);
      }
    }
  }
  return rows.length ? ["## The machine's CPU per run (medians)", "",
    table(["hosts", "deploy", "variant", "wall", "cores busy", "the machine's CPU", "the tool's process", "everything else (sshd, shells, git)"], rows), "",
    "The machine's CPU = the busy time of all its cores during the run (/proc/stat): every process, the hosts' own included. With the cores busy throughout, the machine is the limit.", ""] : [];
}

/** "4", or "4 (1 host: 5)" when some hosts sent more (the one that asked git's remote). */
function roundTripsCell(perHost) {
  if (!perHost) return "–";
  const typical = perHost.typical ?? perHost.max;
  return perHost.max === typical ? String(typical) : `${typical} (some: ${perHost.max})`;
}

function roundTripSection(result) {
  const lines = [];
  for (const d of result.deploy) {
    for (const kind of ["fresh", "redeploy"]) {
      const rt = d.roundTrips?.[kind];
      if (!rt) continue;
      const shown = Object.values(rt.verboseCommandLines ?? {});
      lines.push(`- ${d.hosts} host(s), ${kind}: ${rt.execPerHost.min === rt.execPerHost.max ? rt.execPerHost.max : `${rt.execPerHost.min}–${rt.execPerHost.max}`} exec channels per host` +
        ` (${shown.length ? Math.max(...shown) : 0} of them shown as \`$\` lines by -v), ${rt.otherChannelsPerHost} sftp/shell channels;` +
        ` fap reached its first connect at ${Math.round(rt.marks.untilFirstConnectMs)} ms, all ${rt.hosts} connected ${Math.round(rt.marks.connectAllMs)} ms later, exit at ${Math.round(rt.marks.totalMs)} ms (a -v run).`);
    }
  }
  const biggest = result.deploy.at(-1);
  const last = biggest?.roundTrips?.redeploy ?? biggest?.roundTrips?.fresh;
  if (last) {
    const strip = (c) => c.replace(/^printf 'fap-pid-[^']*' "\$\$" >&2\n?;?\s*/, "").replace(/\s*\n\s*/g, "; ");
    lines.push("", `Each command fap sent per host (${last.execPerHost.typical ?? last.execPerHost.max} on most hosts) in a steady-state redeploy to ${biggest.hosts} host(s) (one exec channel = one round trip), and when it was sent to the first and to the last host and when the last host had answered (ms since fap started, a -v run):`, "");
    lines.push(table(["#", "command (one host, shortened)", "sent to first host", "sent to last host", "last host done"],
      last.commandsOfOneHost.map((c, i) => [i + 1, `\`${strip(c.command).slice(0, 90).replace(/\|/g, "\\|")}…\``, last.steps?.[i]?.firstAtMs ?? "–", last.steps?.[i]?.lastAtMs ?? "–", last.steps?.[i]?.lastEndMs ?? "–"])));
  }
  return lines.join("\n");
}

export function renderMarkdown(result) {
  const out = [`# fap benchmark, ${result.date}`, ""];
  const e = result.environment;
  out.push(`${e.cpus} CPUs (${e.cpuModel}), ${e.memGiB} GiB, ${e.os}; Node ${e.node}; ${e.cap}; shipit-cli ${e.shipit}; ${e.git}; ${e.ssh}.`,
    `Load average at start ${e.loadStart.map((l) => l.toFixed(2)).join(" ")}, at end ${result.loadEnd.map((l) => l.toFixed(2)).join(" ")}.`,
    ...loadLines(result),
    `Runs alternate a b c d e (fap, Capistrano, Shipit, limit, limit with fap's barriers; those measured); ${result.options.runs} timed runs of each after a warm-up; medians.`,
    "Hosts are real sshd on loopback, each seeing its own /srv; a 20-file git repo as a bare repo by path; keep_releases 3; fap at --parallel = hosts (the peers run all hosts at once).",
    "A fresh deploy starts from an empty deploy path; a redeploy changes nothing and runs in steady state (3 releases kept: one is created and one pruned).",
    "", "## Deploy wall time (medians)", "", deployTable(result), "",
    "fap round trips/host = SSH exec channels fap opened per host, counted by wrapping ssh2's Client in a preloaded module (an untimed -v run).",
    "fap peak RSS = the largest maxRSS of the fap process over the timed runs.",
    "fap/barriers = fap against the limit script doing the same work in fap's four steps, each a barrier across hosts (`bench/lib/limit-phased-deploy.mjs`).", "",
    "### Fastest run of each (for comparison on a busy machine)", "", fastestTable(result), "",
    "## Where fap's time goes (medians, fap's own phase summary)", "", phaseTable(result), "",
    "## fap round trips", "", roundTripSection(result), "", ...cpuTable(result), ...machineTable(result));
  if (result.startup) {
    const rt = result.startup.roundTrip;
    out.push("## Start-up (1 host for the dry runs)", "", table(["command", "median", "min", "max"],
      Object.entries(result.startup.commands).map(([k, v]) => [`\`${k}\``, `${v.median} ms`, `${v.min} ms`, `${v.max} ms`])), "",
      `What a round trip costs here (ssh2 on loopback, medians): connect + handshake + auth ${rt.connectMs.median} ms;` +
      ` one exec channel on an open connection running \`true\` ${rt.execMs.true.median} ms, \`git --version\` ${rt.execMs["git --version"].median} ms.`, "");
  }
  if (result.output) out.push(...outputSection(result.output));
  if (result.memory) {
    const m = result.memory;
    out.push(`## Memory: ${m.hosts} hosts (${m.sshd} sshd${m.sshd < m.hosts ? ", the rest ssh-config aliases" : ""}), fresh deploy`, "",
      table(["--parallel", "wall time", "fap peak RSS", "ok"], m.runs.map((r) => [r.parallel, s(r.ms), mib(r.maxRssKiB), r.ok ? "yes" : "NO"])), "");
  }
  out.push("## Targets", "", table(["target", "measured", "limit", "met"],
    checkTargets(result).map((t) => [t.what, `${t.unit === "×" ? x(t.measured) : Math.round(t.measured * 100) / 100}${t.unit === "×" ? "×" : t.unit}`, Number.isFinite(t.limit) ? `${t.limit}${t.unit}` : "–", t.reference ? "(not a target)" : t.pass ? "yes" : "**no**"])), "");
  return out.join("\n");
}

/** One command printing `mb` MB to /dev/null: fap once against OpenSSH's ssh. */
function outputSection(o) {
  const rows = Object.entries(o.shapes).flatMap(([shape, v]) => [
    [shape, "fap once", s(v.fap.ms.median), mib(v.fap.maxRssKiB)],
    [shape, "ssh host CMD", s(v.ssh.ms.median), mib(v.ssh.maxRssKiB)],
    [shape, "fap / ssh", x(v.fap.ms.median / v.ssh.ms.median) + "×", x(v.fap.maxRssKiB / v.ssh.maxRssKiB) + "×"],
  ]);
  return [`## Output: one command printing ${o.mb} MB (medians of ${o.runs} runs; stdout to /dev/null)`, "",
    table(["output", "what", "wall time", "peak RSS"], rows), "",
    "`lines`: 100-byte lines (a million output events); `one line`: no newline at all (fap shows its first 16 K characters). Peak RSS by /usr/bin/time.", ""];
}
