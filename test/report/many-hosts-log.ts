/**
 * A --json log of a deploy to `count` hosts in three roles, as fap writes it, with phase times
 * spread the way real hosts spread them (a few slow ones): for reports at a scale no test
 * machine can run. Deterministic, so its screenshot only changes when the report does.
 */
export function manyHostsLog(count = 200): string {
  const deploy = "c0ffee42";
  const t0 = Date.parse("2024-05-14T09:30:00.000Z");
  const lines: object[] = [];
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const emit = (ms: number, type: string, fields: object) => lines.push({ type, time: at(ms), deploy, flow: "deploy", ...fields });
  const hosts = Array.from({ length: count }, (_, i) => {
    const role = i < count * 0.75 ? "web" : i < count * 0.95 ? "worker" : "db";
    return { host: `${role}-${String(i + 1).padStart(3, "0")}.prod.example`, role };
  });
  // A fixed pseudo-random spread: host i's factor in phase p.
  const spread = (i: number, p: number) => 0.6 + (((i * 7919 + p * 104729) % 1000) / 1000) * 0.8 + (i % 67 === 5 ? 2.5 : 0);
  const phases: Array<[string, number]> = [["starting", 20], ["started", 900], ["updating", 4000], ["updated", 1500], ["publishing", 60], ["published", 700], ["finishing", 10], ["finished", 30]];
  const release = "240514-093001";
  emit(0, "run", { state: "start", stage: "production", role: null, app: "shop", dryRun: false, fap: "0.1.0" });
  emit(1, "phase", { phase: "building", state: "start", hosts: 0 });
  emit(2400, "phase", { phase: "building", state: "end", hosts: 0, durationMs: 2399 });
  let now = 3200;
  const durations = new Map<string, Record<string, number>>();
  phases.forEach(([phase, base], p) => {
    emit(now, "phase", { phase, state: "start", hosts: count });
    let end = now;
    hosts.forEach(({ host, role }, i) => {
      const start = now + (i % 10) * 3;
      const ms = Math.round(base * spread(i, p));
      emit(start, "host-phase", { phase, host, role, state: "start" });
      if (base > 50) {
        const command = phase === "updating" ? `cd /srv/shop/releases/${release} && npm ci --omit=dev && npm run build` : `cd /srv/shop/releases/${release} && ./bin/${phase}.sh`;
        emit(start + 1, "command", { host, command, phase, plugin: "fap:hooks" });
        emit(start + ms - 1, "command-end", { host, command, exitCode: 0, durationMs: ms - 2, phase, plugin: "fap:hooks" });
      }
      emit(start + ms, "host-phase", { phase, host, role, state: "end", ok: true, durationMs: ms });
      durations.set(host, { ...durations.get(host), [phase]: ms });
      end = Math.max(end, start + ms);
    });
    emit(end + 2, "phase", { phase, state: "end", hosts: count, durationMs: end + 2 - now });
    now = end + 5;
  });
  const targets = hosts.map(({ host, role }) => {
    const d = durations.get(host)!;
    const total = Object.values(d).reduce((a, b) => a + b, 0);
    emit(now, "host-result", { host, role, release, revision: "9f1c2e7b5a3d", ok: true, state: "done" });
    return { stage: "production", role, host, release, previousRelease: "240513-170210", revision: "9f1c2e7b5a3d", ok: true, state: "done", result: "switched", note: "ok", unreachable: false, lockLeft: false, durations: d, durationMs: total };
  });
  emit(now + 1, "summary", { dryRun: false, ok: true, deployer: "ci", machine: "runner-7", startedAt: at(0), durationMs: now + 1, targets });
  emit(now + 2, "run", { state: "end", ok: true, durationMs: now + 2 });
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}
