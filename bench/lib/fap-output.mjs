// Reading what fap tells: its phase timings line, and `-v` command lines per host.

/** "starting 0.02s · started 0.03s · ..." → { starting: 20, started: 30, ... } (ms). */
export function parsePhases(stdout) {
  const line = stdout.split("\n").reverse().find((l) => / · /.test(l) && /\d+(\.\d+)?s/.test(l));
  if (!line) return {};
  const phases = {};
  for (const match of line.matchAll(/([A-Za-z-]+) (\d+(?:\.\d+)?)s/g)) phases[match[1]] = Number(match[2]) * 1000;
  return phases;
}

/** Lines `host | $ command` of `fap -v`: commands shown per host. */
export function countVerboseCommands(stdout) {
  const counts = {};
  for (const line of stdout.split("\n")) {
    const match = /^(\S+)\s+\| \$ /.exec(line);
    if (match) counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  }
  return counts;
}

/** The probe's per-host channel counts, summarised: min/max exec channels per host, and one host's commands. */
export function summarizeChannels(probe) {
  const entries = Object.values(probe.channels ?? {});
  if (entries.length === 0) return undefined;
  const exec = entries.map((e) => e.exec);
  const other = entries.map((e) => e.sftp + e.shell);
  const connectMs = probe.marks?.lastReady - probe.marks?.firstConnect;
  // Hosts may send different counts (git asks the remote from the first host only): the steps
  // line up the hosts that send the most common count, and one of them is shown.
  const counts = new Map();
  for (const n of exec) counts.set(n, (counts.get(n) ?? 0) + 1);
  const typical = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const alike = entries.filter((e) => e.exec === typical);
  // When the i-th command of a host was sent, across hosts: how long each step (and its barrier) took.
  const steps = [];
  for (let i = 0; i < typical; i++) {
    const at = alike.map((e) => e.commands[i]?.at).filter(Number.isFinite);
    const end = alike.map((e) => e.commands[i]?.end).filter(Number.isFinite);
    steps.push({ step: i + 1, firstAtMs: Math.min(...at), lastAtMs: Math.max(...at), lastEndMs: Math.max(...end), hosts: at.length });
  }
  return {
    hosts: entries.length,
    steps,
    execPerHost: { min: Math.min(...exec), max: Math.max(...exec), typical },
    otherChannelsPerHost: Math.max(0, ...other),
    commandsOfOneHost: (alike[0]?.commands ?? []).map((c) => ({ atMs: c.at, endMs: c.end, command: c.command })),
    marks: {
      untilFirstConnectMs: probe.marks?.firstConnect,
      connectAllMs: Number.isFinite(connectMs) ? connectMs : undefined,
      totalMs: probe.marks?.exit,
    },
  };
}
