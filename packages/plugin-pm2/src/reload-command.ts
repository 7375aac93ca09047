import { sh } from "@fap/core";
import type { Pm2Settings } from "./settings.js";
import { WAIT_SCRIPT } from "./_wait-script.js";

/** Exit codes of the plugin's commands, read by `reloadFailure()`. */
export const EXIT = {
  ECOSYSTEM_MISSING: 10,
  PM2_FAILED: 11,
  NO_NODE: 12,
} as const;

/** `pm2 ARGS` with pm2_bin, and PM2_HOME when pm2_home is set; every word quoted once, here. */
export function pm2Function(settings: Pick<Pm2Settings, "bin" | "home">): string {
  const home = settings.home === undefined ? "" : sh`PM2_HOME=${settings.home}; export PM2_HOME; `;
  return home + sh`pm2() { ${settings.bin} "$@"; }`;
}

/**
 * The ecosystem fap writes for pm2_script: every path through `current`, so that a later
 * `reload` starts whatever release `current` points at then (pm2 keeps an app's paths across
 * reloads: a path into one release would pin the app to it).
 */
export function generatedEcosystem(settings: Pm2Settings, current: string): string {
  const app = {
    name: settings.name,
    script: `${current}/${settings.script}`,
    cwd: current,
    exec_mode: settings.execMode,
    instances: settings.instances,
    env: settings.env,
  };
  return `${JSON.stringify({ apps: [app] })}\n`;
}

/**
 * One round trip per host: `pm2 startOrReload` (a zero-downtime reload, one process after
 * another, in cluster mode) from `current`, then the wait script. With pm2_script the
 * generated ecosystem comes on stdin (it holds pm2_env) and lives in a temporary directory.
 */
export function reloadCommand(settings: Pm2Settings, current: string): string {
  const ecosystem = settings.ecosystem === undefined ? undefined : `${current}/${settings.ecosystem}`;
  const lines = [
    pm2Function(settings),
    sh`command -v node >/dev/null 2>&1 || { echo 'node is not on the PATH' >&2; exit ${EXIT.NO_NODE}; }`,
  ];
  if (ecosystem === undefined) {
    lines.push(`d=$(mktemp -d) || exit 1; trap 'rm -rf "$d"' EXIT; f="$d/ecosystem.json"; cat >"$f" || exit 1`);
  } else {
    lines.push(sh`f=${ecosystem}; test -f "$f" || { printf '%s does not exist\\n' "$f" >&2; exit ${EXIT.ECOSYSTEM_MISSING}; }`);
  }
  lines.push(
    sh`out=$(cd ${current} && pm2 startOrReload "$f" --only ${settings.name} --cwd ${current} --update-env 2>&1) || { printf '%s\\n' "$out" >&2; exit ${EXIT.PM2_FAILED}; }`,
    sh`node -e ${WAIT_SCRIPT} ${JSON.stringify(settings.bin)} ${settings.name} ${settings.minUptime} ${settings.timeout} ${current}`,
  );
  return lines.join("\n");
}

/** `pm2 delete NAME`: after a failed first deploy, nothing is live to run. */
export function deleteCommand(settings: Pm2Settings): string {
  return [pm2Function(settings), sh`pm2 delete ${settings.name} >/dev/null 2>&1 || true`].join("\n");
}

