import { formatAddress, RUNTIME_KEYS, resolvedConfigs, type ConfigEntry, type HostConfigView } from "@fap/core/internal";
import type { CommonOptions } from "../common-options.js";
import { lookAtHosts, writeJsonLines } from "../read-only-run.js";
import { outputRedactor } from "../redaction.js";
import { secretNames, unmask } from "../secret-refs.js";
import { colours } from "../style.js";

export interface ConfigCommandOptions extends CommonOptions {
  host?: string;
  json?: boolean;
}

export interface ShownEntry {
  key: string;
  value: string;
  source: string;
  /** Nothing reads this key: likely a typo. */
  unread: boolean;
}

const RUNTIME: ReadonlySet<string> = new Set(RUNTIME_KEYS);

/**
 * `fap config -s STAGE [-r ROLE] [--host H]`: each selected host's config as fap will use it,
 * every key with its value and where it came from. Secrets are shown as *** and never read:
 * values from env:NAME stay unread, keys declared secret are hidden.
 */
export async function runConfig(common: ConfigCommandOptions, extraArgs: readonly string[]): Promise<void> {
  const selection = common.host === undefined ? common : { ...common, hosts: [...(common.hosts ?? []), common.host] };
  const views = await lookAtHosts(selection, extraArgs, resolvedConfigs);
  const out = process.stdout;
  if (common.json) {
    writeJsonLines(out, views.map((view) => jsonView(view, secretsOf(view))));
    return;
  }
  const c = colours(out);
  views.forEach((view, i) => {
    if (i > 0) out.write("\n");
    out.write(`${c.bold(view.host)} ${c.dim(`(${view.stage}.${view.role}${hostProperties(view)}, ${formatAddress(view.address)})`)}\n`);
    const redact = secretsOf(view);
    for (const line of formatEntries(view.entries.map((e) => showEntry(e, redact)))) out.write(`  ${line.startsWith("!") ? c.yellow(line.slice(1)) : line}\n`);
  });
}

/** ", primary, zone=a" : what the host entry says of the host. */
function hostProperties(view: HostConfigView): string {
  return [view.primary ? "primary" : "", ...Object.entries(view.labels).map(([name, value]) => `${name}=${value}`)].map((p) => (p ? `, ${p}` : "")).join("");
}

/** Hides the values of keys declared secret wherever they were interpolated, here and in anything written after. */
function secretsOf(view: HostConfigView): (text: string) => string {
  return outputRedactor.add(view.entries.filter((e) => e.secret && typeof e.value === "string").map((e) => String(e.value))).text;
}

export function showEntry(entry: ConfigEntry, redact: (text: string) => string = (t) => t): ShownEntry {
  const names = secretNames(entry.value);
  const value = entry.secret ? "***" : redact(display(entry.value));
  const source = names.length > 0 ? `${entry.source} (${names.map((n) => `env:${n}`).join(", ")})` : entry.source;
  return { key: entry.key, value, source, unread: entry.owner === undefined && !RUNTIME.has(entry.key) };
}

/** key, value, source in columns; a key nothing reads is flagged (and marked with a leading ! for colour). */
export function formatEntries(entries: readonly ShownEntry[]): string[] {
  const keyWidth = Math.max(...entries.map((e) => e.key.length));
  const valueWidth = Math.min(60, Math.max(...entries.map((e) => e.value.length)));
  return entries.map((e) => {
    const line = `${e.key.padEnd(keyWidth)}  ${e.value.padEnd(valueWidth)}  ${e.source}`;
    return e.unread ? `!${line}  ← not read by core or any plugin (a typo?)` : line;
  });
}

function display(value: unknown): string {
  if (typeof value === "string") return unmask(value);
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "string" ? unmask(v) : v)) ?? "";
}

function jsonView(view: HostConfigView, redact: (text: string) => string) {
  return {
    host: view.host,
    stage: view.stage,
    role: view.role,
    primary: view.primary,
    labels: view.labels,
    address: view.address,
    config: Object.fromEntries(
      view.entries.map((e) => {
        const shown = showEntry(e, redact);
        const value = e.secret ? "***" : JSON.parse(JSON.stringify(e.value ?? null, (_k, v: unknown) => (typeof v === "string" ? redact(unmask(v)) : v)));
        return [e.key, { value, source: shown.source, ...(shown.unread ? { unread: true } : {}) }];
      }),
    ),
  };
}
