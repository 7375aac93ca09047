import { shorten } from "@fap/core/internal";
/** Text as HTML (element content and quoted attribute values). */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function secs(ms: number | undefined): string {
  if (ms === undefined) return "-";
  if (ms >= 60_000) return `${Math.floor(ms / 60_000)}m${((ms % 60_000) / 1000).toFixed(0).padStart(2, "0")}s`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/** A hover text is kept short; the full command is in the host's details. */
export function brief(text: string, max = 300): string {
  return shorten(text, max);
}

/** How a result reads: green when the host is fine, red when it failed or was left live or unswitched-back. */
export function resultClass(result: string, ok: boolean): string {
  if (ok) return "result-ok";
  return /switched back|not switched|not started|switched-back|not-switched$/.test(result) && !/NOT switched back/.test(result) ? "result-warn" : "result-bad";
}
