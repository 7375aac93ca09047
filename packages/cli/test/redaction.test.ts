import { readFileSync } from "node:fs";
import { createEvents, FapError, Redactor, type FapEventMap } from "@fap/core/internal";
import { describe, expect, it } from "vitest";
import { attachHumanReporter, type Output } from "../src/human-reporter.js";
import { attachJsonReporter } from "../src/json-reporter.js";

/** Has every character that needs escaping somewhere: `"`, `\`, `'`, `$`, a space and a newline. */
const SECRET = `pa"ss\\wo'rd $HOME x\nline2-of-secret`;
const URL_SECRET = "https://deployer:Pw%2Fsecret-42@example.invalid/x";

/** The forms a secret can take in output; written out here, not taken from the code under test. */
function forms(): string[] {
  const lines = SECRET.split("\n");
  const shell = (s: string) => s.replace(/'/g, `'\\''`);
  const json = (s: string) => JSON.stringify(s).slice(1, -1);
  return [SECRET, ...lines, shell(SECRET), ...lines.map(shell), json(SECRET), ...lines.map(json), json(json(lines[0]!)), json(shell(lines[0]!)), "Pw%2Fsecret-42", "Pw/secret-42", encodeURIComponent(lines[0]!)];
}

/** Every form of the secret found in `text`. */
function leaks(text: string): string[] {
  return forms().filter((form) => text.includes(form));
}

/** The secret in the ways a command, output or message carries it. */
const carriers = [
  SECRET,
  `echo '${SECRET.replace(/'/g, `'\\''`)}'`,
  JSON.stringify({ value: SECRET }),
  URL_SECRET.replace("Pw%2Fsecret-42", "Pw/secret-42"),
  `git fetch ${URL_SECRET.slice("https://".length)}`,
  encodeURIComponent(SECRET),
].join(" | ");

/** One event of each type, with the secret in every string field. */
const EVENTS: { [K in keyof FapEventMap]: FapEventMap[K][0] } = {
  phase: { flow: carriers, phase: carriers, state: "start", hosts: 1 },
  "host-phase": { flow: carriers, phase: carriers, host: carriers, role: carriers, state: "end", ok: false, durationMs: 1 },
  command: { host: carriers, command: carriers, phase: carriers, plugin: carriers },
  output: { host: carriers, stream: "stderr", line: carriers, phase: carriers },
  "command-end": { host: carriers, command: carriers, exitCode: 1, durationMs: 1, phase: carriers, plugin: carriers },
  log: { host: carriers, level: "warn", message: carriers },
  canary: { state: "failed", hosts: [carriers, carriers] },
  "host-result": { host: carriers, role: carriers, release: carriers, revision: carriers, ok: false, phase: carriers, error: carriers, note: carriers },
  summary: {
    dryRun: false,
    ok: false,
    error: { code: "E_PLUGIN", message: carriers, hint: carriers },
    deployer: carriers,
    machine: carriers,
    startedAt: carriers,
    durationMs: 1,
    targets: [
      {
        stage: carriers, role: carriers, host: carriers, release: carriers, previousRelease: carriers, revision: carriers, ok: false,
        state: "not-switched", result: "not switched", note: carriers, phase: carriers, error: carriers, unreachable: false, lockLeft: false,
        durations: { updated: 1 }, durationMs: 1, // keyed by hook or task name: no value of the config
      },
    ],
  },
};

function sink(): Output & { text: string } {
  return {
    text: "",
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe("every event is redacted at the source", () => {
  const documented = [...readFileSync(new URL("../../../docs/events.md", import.meta.url), "utf8").matchAll(/^### `([a-z-]+)`$/gm)].map((m) => m[1]!);

  it("covers every event type docs/events.md documents", () => {
    expect(documented.filter((type) => type !== "run").sort()).toEqual(Object.keys(EVENTS).sort());
  });

  it.each(Object.keys(EVENTS) as Array<keyof FapEventMap>)("%s: no listener, reporter or --json line sees the secret", (type) => {
    const events = createEvents(new Redactor([SECRET, URL_SECRET]));
    const json = sink();
    const human = sink();
    const seen: unknown[] = [];
    attachJsonReporter(events, { out: json, deployId: "d", flow: "deploy" });
    const reporter = attachHumanReporter(events, { out: human, verbose: true, dryRun: false });
    events.on(type, (event: unknown) => seen.push(event));
    (events.emit as (name: string, event: unknown) => boolean)(type, EVENTS[type]);
    reporter.summary("done");
    expect(json.text).toContain("***");
    expect(leaks(json.text)).toEqual([]);
    expect(leaks(human.text)).toEqual([]);
    expect(leaks(JSON.stringify(seen))).toEqual([]);
  });

  it("the run's final error: message, hint, details, stack and causes", () => {
    const redactor = new Redactor([SECRET, URL_SECRET]);
    const cause = new Error(`ssh said: ${carriers}`);
    const error = new FapError("E_COMMAND_TIMEOUT", `\`${carriers}\` timed out`, { hint: carriers, details: { command: carriers, nested: [{ stderr: carriers }] }, cause });
    const shown = redactor.error(error) as FapError;
    const json = sink();
    attachJsonReporter(createEvents(redactor), { out: json, deployId: "d", flow: "deploy" }).end(shown);
    const everything = [shown.message, shown.hint, JSON.stringify(shown.details), shown.stack, (shown.cause as Error).message, (shown.cause as Error).stack, json.text].join("\n");
    expect(everything).toContain("***");
    expect(leaks(everything)).toEqual([]);
  });
});
