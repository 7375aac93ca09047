import { appendFileSync } from "node:fs";
import type { LoggedEvent } from "./events.js";
import { secs } from "./html.js";
import { buildModel } from "./model.js";

/** `|` and newlines would break a Markdown table cell. */
const cell = (text: string | undefined) => (text ?? "-").replace(/\|/g, "\\|").replace(/\n/g, " ");

/**
 * The run's summary table as Markdown, for a GitHub Actions job's summary page
 * ($GITHUB_STEP_SUMMARY): the header line, one row per host and role, the report's path.
 */
export function stepSummary(events: readonly LoggedEvent[], reportPath: string | undefined): string {
  const model = buildModel(events);
  const what = model.task ? `run ${model.task}` : model.flow;
  const scope = [model.stage, model.role].filter(Boolean).join(".");
  const result = model.ok === undefined ? "unfinished" : model.ok ? "✅ succeeded" : "❌ failed";
  const lines = [
    `### fap ${what}${model.app ? ` ${model.app}` : ""}${scope ? ` · ${scope}` : ""}: ${result}`,
    "",
    `deploy \`${model.deploy}\` · ${secs(model.durationMs)}${model.deployer ? ` · by ${model.deployer} on ${model.machine ?? "?"}` : ""}${model.revisions.length ? ` · revision \`${model.revisions.join("`, `")}\`` : ""}`,
    "",
  ];
  if (model.error) lines.push(`> **${cell(model.error.code)}**: ${cell(model.error.message)}${model.error.hint ? `<br>hint: ${cell(model.error.hint)}` : ""}`, "");
  if (model.lanes.length > 0) {
    lines.push("| host | stage.role | result | release | revision | total |", "| --- | --- | --- | --- | --- | ---: |");
    for (const l of model.lanes) {
      const result = l.ok ? l.result : `**${l.note && l.note !== "ok" ? l.note : l.result}**`;
      lines.push(`| ${cell(l.host)} | ${cell([l.stage, l.role].filter(Boolean).join("."))} | ${cell(result)} | ${cell(l.release)} | ${cell(l.revision?.slice(0, 12))} | ${secs(l.totalMs)} |`);
    }
    lines.push("");
  }
  if (reportPath) lines.push(`Report: \`${cell(reportPath)}\``, "");
  return `${lines.join("\n")}\n`;
}

/** Appends the summary to $GITHUB_STEP_SUMMARY when fap runs in GitHub Actions. */
export function writeStepSummary(env: NodeJS.ProcessEnv, events: readonly LoggedEvent[], reportPath: string | undefined): void {
  if (env.GITHUB_ACTIONS !== "true" || !env.GITHUB_STEP_SUMMARY) return;
  appendFileSync(env.GITHUB_STEP_SUMMARY, stepSummary(events, reportPath));
}
