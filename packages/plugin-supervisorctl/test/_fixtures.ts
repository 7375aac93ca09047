import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { TestHost } from "@fap/testing";

export { buildGreetingWheel, linkPlugins } from "../../plugin-virtualenv/test/_fixtures.js";

/** Where each test host keeps its own supervisord: its config, socket, logs and conf.d. */
export const SUPERVISOR_DIR = "/srv/supervisor";
export const SUPERVISORD_CONF = `${SUPERVISOR_DIR}/supervisord.conf`;

function supervisordConf(): string {
  return `[unix_http_server]
file=${SUPERVISOR_DIR}/supervisor.sock

[supervisord]
logfile=${SUPERVISOR_DIR}/supervisord.log
pidfile=${SUPERVISOR_DIR}/supervisord.pid
childlogdir=${SUPERVISOR_DIR}/log

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${SUPERVISOR_DIR}/supervisor.sock

[include]
files=${SUPERVISOR_DIR}/conf.d/*.conf
`;
}

/**
 * Starts a supervisord inside the host (its mount namespace), as the host's own service would
 * run: a clean environment, plus APP_PORT, which its programs inherit (the hosts share one
 * network, so each host's app needs its own port).
 */
export async function startSupervisord(host: TestHost, appPort: number): Promise<void> {
  mkdirSync(host.local(`${SUPERVISOR_DIR}/conf.d`), { recursive: true });
  mkdirSync(host.local(`${SUPERVISOR_DIR}/log`), { recursive: true });
  writeFileSync(host.local(SUPERVISORD_CONF), supervisordConf());
  const started = await host.exec(
    `cd / && env -i PATH=/usr/bin:/bin HOME=/srv APP_PORT=${appPort} supervisord -c ${SUPERVISORD_CONF} </dev/null >/dev/null 2>&1`,
  );
  if (started.exitCode !== 0) throw new Error(`${host.alias}: supervisord did not start: ${started.stderr}`);
  for (let i = 0; i < 50; i++) {
    if ((await host.exec(`supervisorctl -c ${SUPERVISORD_CONF} pid`)).exitCode === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${host.alias}: supervisord does not answer`);
}

/** Shuts the host's supervisord down (stopping its programs) and waits until it is gone. */
export async function stopSupervisord(host: TestHost): Promise<void> {
  if (!host.running) return;
  await host.exec(
    `pid=$(cat ${SUPERVISOR_DIR}/supervisord.pid 2>/dev/null) || exit 0; supervisorctl -c ${SUPERVISORD_CONF} shutdown >/dev/null 2>&1; ` +
      `i=0; while kill -0 "$pid" 2>/dev/null && test $i -lt 100; do sleep 0.1; i=$((i + 1)); done`,
  );
}

/** What supervisorctl reports on the host, e.g. `{ state: "RUNNING", pid: 123 }`. */
export async function programState(host: TestHost, program: string): Promise<{ state: string; pid: number | undefined }> {
  const out = (await host.exec(`supervisorctl -c ${SUPERVISORD_CONF} status ${program}`)).stdout;
  const [, state = "", pid] = /^\S+\s+([A-Z]+)\s*(?:pid (\d+))?/.exec(out) ?? [];
  return { state, pid: pid === undefined ? undefined : Number(pid) };
}

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET http://127.0.0.1:port/path, the body as text ("" when nothing answers). */
export async function httpGet(port: number, path = "/"): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    return await response.text();
  } catch {
    return "";
  }
}
