import { sh } from "@fap/core";
import type { HealthcheckSettings } from "./settings.js";

/** Lines of the check's own answer start with this; everything else on stdout is ignored. */
export const MARK = "::fap-healthcheck::";
/** Bytes of the answer's body kept on the host (for healthcheck_expect_body and the report). */
export const BODY_BYTES = 65536;
/** Characters of the answer's first line (or the command's last line) brought back. */
export const LINE_CHARS = 300;

/**
 * One round trip per host: up to 1 + retries tries, `interval` seconds apart, each a GET of the
 * URL (read from stdin, so it is on no command line fap prints) with curl, else wget, and/or
 * the command in the release, until one passes. Prints, after MARK, `RESULT TRIES STATUS`
 * (RESULT: ok, unhealthy or no-client) and then the last try's first body line (or the
 * command's last output line), both bounded, whatever the app answered.
 */
export function checkCommand(settings: HealthcheckSettings, releasePath: string, releaseId: string): string {
  const { url, command, expectStatus, expectBody, timeout, retries, interval } = settings;
  const header = `X-Fap-Release: ${releaseId}`;
  const lines = [
    "IFS= read -r url || true",
    'tmp=$(mktemp) || exit 1; trap \'rm -f "$tmp" "$tmp.h" "$tmp.e"\' EXIT',
    'if command -v timeout >/dev/null 2>&1; then limit="timeout ' + sh`${timeout}` + '"; else limit=; fi',
    "tries=0",
    "while :; do",
    "  tries=$((tries + 1)); code=-; ok=1; : >\"$tmp\"; : >\"$tmp.h\"; : >\"$tmp.e\"",
  ];
  if (url !== undefined) {
    lines.push(
      "  if command -v curl >/dev/null 2>&1; then",
      sh`    curl -sS -D "$tmp.h" -o - --max-time ${timeout} -H ${header} -- "$url" 2>"$tmp.e" | head -c ${BODY_BYTES} >"$tmp"`,
      "  elif command -v wget >/dev/null 2>&1; then",
      sh`    wget -q -S -O - -t 1 --content-on-error --max-redirect=0 -T ${timeout} --header=${header} -- "$url" 2>"$tmp.h" | head -c ${BODY_BYTES} >"$tmp"`,
      "    grep -v '^ ' \"$tmp.h\" >\"$tmp.e\"",
      "  else",
      `    echo '${MARK} no-client 0 -'; exit 0`,
      "  fi",
      "  code=$(awk 'toupper($1) ~ /^HTTP\\// { c = $2 } END { print c }' \"$tmp.h\")",
      '  [ -n "$code" ] || code=000',
      sh`  [ "$code" = ${String(expectStatus)} ] || ok=0`,
    );
    if (expectBody !== undefined) lines.push(sh`  [ "$ok" = 0 ] || grep -qF -- ${expectBody} "$tmp" || ok=0`);
    // What to show: the body's first line, or why nothing answered.
    lines.push(
      '  if [ -s "$tmp" ]; then head -n 1 "$tmp" >"$tmp.h"; else tail -n 1 "$tmp.e" >"$tmp.h"; fi',
      '  [ -s "$tmp.h" ] || [ "$code" != 000 ] || echo "no answer" >"$tmp.h"',
    );
  }
  if (command !== undefined) {
    lines.push(
      '  if [ "$ok" = 1 ]; then',
      sh`    (cd ${releasePath} && $limit sh -c ${command}) </dev/null >"$tmp" 2>&1 || ok=0`,
      '    [ "$ok" = 1 ] || { tail -c 4096 "$tmp" | awk \'NF { l = $0 } END { print l }\' >"$tmp.h"; code=command; }',
      "  fi",
    );
  }
  lines.push(
    '  if [ "$ok" = 1 ] || [ "$tries" -gt ' + sh`${retries}` + " ]; then",
    `    if [ "$ok" = 1 ]; then r=ok; else r=unhealthy; fi`,
    `    printf '%s %s %s %s\\n' '${MARK}' "$r" "$tries" "$code"`,
    `    printf '%s ' '${MARK}'; head -c ${LINE_CHARS} "$tmp.h" | head -n 1; echo`,
    "    exit 0",
    "  fi",
    sh`  sleep ${interval}`,
    "done",
  );
  return lines.join("\n");
}

export interface CheckAnswer {
  result: "ok" | "unhealthy" | "no-client";
  tries: number;
  /** The last try's HTTP status (`000`: nothing answered), `command` when the command failed, `-` with no URL. */
  status: string;
  /** The body's first line, why nothing answered, or the command's last output line. */
  line: string;
}

/** Reads what checkCommand printed; undefined when it printed no answer (the shell failed). */
export function parseAnswer(stdout: string): CheckAnswer | undefined {
  const marked = stdout.split("\n").filter((line) => line.startsWith(MARK)).map((line) => line.slice(MARK.length + 1));
  const match = /^(ok|unhealthy|no-client) (\d+) (\S+)$/.exec(marked[0] ?? "");
  if (!match) return undefined;
  return { result: match[1] as CheckAnswer["result"], tries: Number(match[2]), status: match[3]!, line: (marked[1] ?? "").trim() };
}
