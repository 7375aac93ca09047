import { brief, esc, resultClass, secs } from "./html.js";
import type { CommandRun, Lane } from "./lanes.js";
import type { ReportModel } from "./model.js";

/**
 * The timeline: one table row per host and role, its phases as bars on the run's time axis.
 * A bar's hatched tail is the wait at the barrier (the host was done, others were not); ✗
 * marks the phase a host failed in, ↩ a switch-back. Each host's commands are in a <details>.
 */
export function renderLanes(model: ReportModel): string {
  const total = Math.max(1, model.durationMs, ...model.phases.map((p) => p.end), ...model.lanes.flatMap((l) => l.spans.map((s) => s.waitEnd)));
  const pct = (ms: number) => `${((Math.max(0, ms) / total) * 100).toFixed(3)}%`;
  const width = (from: number, to: number) => `${((Math.max(0, to - from) / total) * 100).toFixed(3)}%`;
  const barriers = model.phases.filter((p) => p.hosts > 0).map((p) => `<span class="barrier" style="left:${pct(p.end)}"></span>`).join("");
  // A phase too short to hold its name is named on hover only: names must not overlap.
  const axis = model.phases
    .map((p) => `<span style="left:${pct(p.start)}" title="${esc(`${p.phase}: ${secs(p.end - p.start)}`)}">${(p.end - p.start) / total > 0.04 ? esc(p.phase) : ""}</span>`)
    .join("");
  const rows = model.lanes.map((lane, order) => {
    const times: Record<string, number> = {};
    for (const s of lane.spans) times[s.phase] = (times[s.phase] ?? 0) + (s.end - s.start);
    const bars = lane.spans.map((s) => {
      const label = `${lane.host} ${s.phase}: ${secs(s.end - s.start)}${s.ok ? "" : " (failed)"}${s.waitEnd > s.end ? `, then waited ${secs(s.waitEnd - s.end)} for the others` : ""}`;
      return (
        `<span class="bar${s.ok ? "" : " failed"}" style="left:${pct(s.start)};width:${width(s.start, s.end)}" title="${esc(label)}"></span>` +
        (s.waitEnd > s.end ? `<span class="wait" style="left:${pct(s.end)};width:${width(s.end, s.waitEnd)}" title="${esc(label)}"></span>` : "") +
        (s.ok ? "" : `<span class="mark bad" style="left:${pct(s.end)}" title="${esc(`failed in ${s.phase}`)}">✗</span>`)
      );
    });
    const ticks = lane.commands.map((c) => `<span class="cmd" style="left:${pct(c.start)};width:${width(c.start, c.start + (c.durationMs ?? 0))}" title="${esc(commandTitle(c))}"></span>`);
    const end = Math.max(0, ...lane.spans.map((s) => s.end), ...lane.commands.map((c) => c.start + (c.durationMs ?? 0)));
    const back = lane.switchedBack ? `<span class="mark back" style="left:${pct(end)}" title="switched back to the release it had before">↩</span>` : "";
    const failedNoSpan = !lane.ok && lane.failedPhase && !lane.spans.some((s) => !s.ok) ? `<span class="mark bad" style="left:${pct(end)}" title="${esc(`failed in ${lane.failedPhase}`)}">✗</span>` : "";
    const cls = resultClass(lane.result, lane.ok);
    return `<tr data-order="${order}" data-host="${esc(lane.host)}" data-role="${esc(lane.role)}" data-result="${esc(lane.result)}" data-rank="${lane.failedPhase ? 0 : lane.ok ? 2 : 1}" data-total="${lane.totalMs}" data-times="${esc(JSON.stringify(times))}">
<td>${hostDetails(lane)}</td><td>${esc([lane.stage, lane.role].filter(Boolean).join("."))}</td><td class="${cls}" title="${esc(lane.note ?? lane.result)}">${lane.ok ? "✓" : "✗"} ${esc(lane.result)}</td><td class="num">${secs(lane.totalMs)}</td>
<td><div class="track" role="img" aria-label="${esc(laneLabel(lane))}">${barriers}${bars.join("")}${ticks.join("")}${back}${failedNoSpan}</div></td></tr>`;
  });
  return `<table class="lanes" aria-describedby="legend"><colgroup><col class="c-host"><col class="c-role"><col class="c-result"><col class="c-total"><col></colgroup>
<thead><tr><th scope="col">host</th><th scope="col">stage.role</th><th scope="col">result</th><th scope="col">total</th><th scope="col"><div class="axis">${axis}</div></th></tr></thead>
<tbody id="lane-rows">${rows.join("\n")}</tbody></table>`;
}

function commandTitle(c: CommandRun): string {
  const ended = c.durationMs === undefined ? "never finished" : `${secs(c.durationMs)}, exit ${c.exitCode ?? "killed"}`;
  return `${c.phase ?? "clean-up"} · ${c.plugin ?? ""} (${ended})\n$ ${brief(c.command)}`;
}

/** The lane in words, for screen readers (the bars are an image to them). */
function laneLabel(lane: Lane): string {
  const phases = lane.spans.map((s) => `${s.phase} ${secs(s.end - s.start)}${s.ok ? "" : " failed"}`).join(", ");
  return `${lane.host}: ${phases || "no phases"}; ${lane.note ?? lane.result}`;
}

function hostDetails(lane: Lane): string {
  const rows = lane.commands
    .map((c) => `<tr><td>${esc(c.phase ?? "clean-up")}</td><td class="num">${secs(c.durationMs)}</td><td>${c.exitCode === undefined ? "-" : esc(c.exitCode ?? "killed")}</td><td><code>${esc(c.command)}</code></td></tr>`)
    .join("");
  const facts = [
    lane.release && `release ${esc(lane.release)}`,
    lane.revision && `revision <code>${esc(lane.revision)}</code>`,
    lane.note && lane.note !== "ok" && esc(lane.note),
    lane.error && `error: ${esc(lane.error)}`,
  ].filter(Boolean);
  return `<details class="host"><summary>${esc(lane.host)}</summary><div>${facts.join("<br>")}</div>${
    rows ? `<table class="cmds"><thead><tr><th>phase</th><th>time</th><th>exit</th><th>command</th></tr></thead><tbody>${rows}</tbody></table>` : "<div>no commands</div>"
  }</details>`;
}
