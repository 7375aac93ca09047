import { esc, secs } from "./html.js";
import type { ReportModel } from "./model.js";
import { DETAILS_STYLE, PAGE_STYLE } from "./page-style.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { renderLanes } from "./render-lanes.js";

/** The whole report: one HTML file with its style and script inline; nothing is fetched. */
export function renderReport(model: ReportModel): string {
  const what = model.task ? `run ${model.task}` : model.flow;
  const scope = [model.stage, model.role].filter(Boolean).join(".");
  const title = `fap ${what}${model.app ? ` ${model.app}` : ""}${scope ? ` · ${scope}` : ""}`;
  const result = model.ok === undefined ? "unfinished (the log ends before the run did)" : model.ok ? "succeeded" : "failed";
  const okHosts = model.lanes.filter((l) => l.ok).length;
  const facts: Array<[string, string]> = [
    ["result", `<span class="${model.ok ? "result-ok" : "result-bad"}">${esc(result)}</span>${model.lanes.length ? ` · ${okHosts} of ${model.lanes.length} ok` : ""}${model.dryRun ? " · dry run" : ""}`],
    ["app", esc(model.app ?? "-")],
    ["stage.role", esc(scope || "-")],
    ["run by", esc(model.deployer || model.machine ? `${model.deployer ?? "?"} on ${model.machine ?? "?"}` : "-")],
    ["revision", model.revisions.map((r) => `<code>${esc(r)}</code>`).join(", ") || "-"],
    ["release", model.releases.map(esc).join(", ") || "-"],
    ["started", `<time datetime="${esc(model.startedAt)}">${esc(model.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"))}</time>`],
    ["total time", secs(model.durationMs)],
    ["deploy id", `<code>${esc(model.deploy)}</code>${model.fap ? ` · fap ${esc(model.fap)}` : ""}`],
  ];
  const error = model.error
    ? `<div class="error" role="alert"><strong>${esc(model.error.code ?? "error")}</strong>: ${esc(model.error.message ?? "")}${model.error.hint ? `<br>hint: ${esc(model.error.hint)}` : ""}</div>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(title)}</title><style>${PAGE_STYLE}${DETAILS_STYLE}</style></head>
<body><header><h1>${esc(title)}</h1><dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>${error}</header>
<main>${slowest(model)}${warnings(model)}
<h2 id="timeline">Timeline</h2>
<p class="legend" id="legend"><span><i class="bar" style="position:relative"></i>a host in a phase</span><span><i class="cmd" style="position:relative;top:0"></i>a command</span><span><i class="wait" style="position:relative;top:0"></i>waiting for the other hosts (barrier)</span><span class="result-bad">✗ failed</span><span class="result-warn">↩ switched back</span></p>
${controls(model)}
${renderLanes(model)}</main>
<script>${PAGE_SCRIPT}</script></body></html>
`;
}

/** The hosts and phases that set the pace: who the others waited for. */
function slowest(model: ReportModel): string {
  const hosts = [...model.lanes].sort((a, b) => b.totalMs - a.totalMs).slice(0, 5).filter((l) => l.totalMs > 0);
  const phases = [...model.phases].filter((p) => p.hosts > 0).sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 3);
  if (hosts.length === 0 && phases.length === 0) return "";
  const hostItems = hosts.map((l) => `<li>${esc(l.host)} <span class="mono">${esc(l.role)}</span>: ${secs(l.totalMs)}</li>`).join("");
  const phaseItems = phases
    .map((p) => `<li>${esc(p.phase)}: ${secs(p.end - p.start)}${p.slowest ? `, waiting for ${esc(p.slowest.host)} (${secs(p.slowest.ms)})` : ""}</li>`)
    .join("");
  return `<section aria-labelledby="slow"><h2 id="slow">Slowest</h2><div class="controls" style="display:flex;align-items:flex-start">
<div><strong>hosts</strong><ul class="slow">${hostItems}</ul></div><div><strong>phases</strong><ul class="slow">${phaseItems}</ul></div></div></section>`;
}

function warnings(model: ReportModel): string {
  if (model.warnings.length === 0) return "";
  return `<h2>Warnings</h2><ul>${model.warnings.slice(0, 50).map((w) => `<li class="result-warn">${esc(w)}</li>`).join("")}</ul>`;
}

function controls(model: ReportModel): string {
  const options = (values: string[]) => values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join("");
  const roles = [...new Set(model.lanes.map((l) => l.role))];
  const results = [...new Set(model.lanes.map((l) => l.result))];
  const phases = [...new Set(model.phases.filter((p) => p.hosts > 0).map((p) => p.phase))];
  return `<div class="controls js-only" role="search" aria-label="filter and sort the lanes">
<label>host <input id="f-host" type="search" placeholder="name"></label>
<label>role <select id="f-role"><option value="">all</option>${options(roles)}</select></label>
<label>result <select id="f-result"><option value="">all</option>${options(results)}</select></label>
<label>phase <select id="f-phase"><option value="">all</option>${options(phases)}</select></label>
<label>sort <select id="f-sort"><option value="order">config order</option><option value="total">slowest first</option><option value="phase">slowest in the phase</option><option value="result">failures first</option><option value="host">host name</option></select></label>
<span id="shown" aria-live="polite"></span></div>`;
}
