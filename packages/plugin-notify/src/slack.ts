import type { RunSummary } from "@fap/core";
import { notifyMessage } from "./message.js";

/** A Slack Block Kit section of markdown text. */
export interface SlackSection {
  type: "section";
  text: { type: "mrkdwn"; text: string };
}

/** A Slack incoming-webhook message: `text` is the notification's fallback, `blocks` what the channel shows. */
export interface SlackMessage {
  text: string;
  blocks: SlackSection[];
}

/** Slack refuses a section's text longer than this. */
const SECTION_LIMIT = 3000;

/** `notify_format: slack`: the same run, as a headline, the error, and one line per host. */
export function slackMessage(summary: RunSummary): SlackMessage {
  const message = notifyMessage(summary);
  const blocks: SlackSection[] = [section(`${summary.ok ? ":white_check_mark:" : ":x:"} *${escape(message.text)}*`)];
  if (message.error) {
    const hint = message.error.hint ? `\n_${escape(message.error.hint)}_` : "";
    blocks.push(section(`\`\`\`${escape(message.error.message)}\`\`\`${hint}`));
  }
  const lines = message.hosts.map((h) => {
    const release = h.release ? ` ${escape(h.release)}` : "";
    return `\`${escape(h.host)}\` ${escape(`${h.stage}.${h.role}`)}${release}: ${escape(h.note)} (${h.seconds}s)`;
  });
  if (message.revision) lines.unshift(`revision \`${escape(message.revision)}\``);
  blocks.push(section(fit(lines)));
  return { text: message.text, blocks };
}

function section(text: string): SlackSection {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** As many lines as fit in one section, then how many were left out. */
function fit(lines: readonly string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const more = `… and ${lines.length - index} more`;
    if (length + line.length + 1 + more.length > SECTION_LIMIT) return [...kept, more].join("\n");
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join("\n");
}

/** Slack's markdown: `&`, `<` and `>` are the only characters it asks to escape. */
function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
