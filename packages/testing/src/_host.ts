import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, open, rm, writeFile } from "node:fs/promises";
import { posix } from "node:path";
import { requireBinary } from "./_binaries.js";
import { knownHostsLine } from "./_client-files.js";
import { fingerprint, type PublicKey } from "./_keys.js";
import { track, untrack } from "./_live.js";
import { readLogTail } from "./_log-tail.js";
import { MountNamespace } from "./_namespace.js";
import { exitsWithin, isAlive } from "./_process-exit.js";
import { waitForSshd } from "./_ready.js";
import { run } from "./_run.js";
import { renderSshdConfig } from "./_sshd-config.js";
import type { TestHost } from "./types.js";

export interface HostFiles {
  root: string;
  hostKey: string;
  sshdConfig: string;
  pidFile: string;
  log: string;
  authorizedKeys: string;
}

export interface HostSetup {
  alias: string;
  port: number;
  user: string;
  mountPoint: string;
  hostKey: PublicKey;
  files: HostFiles;
  maxStartups?: string | undefined;
  extraListenAddresses?: readonly string[] | undefined;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  /** Set once sshd is up; before that nothing else can be in the namespace. */
  namespace?: MountNamespace;
}

/** Thrown when another process took the port between picking it and sshd binding it. */
class PortInUseError extends Error {}

/**
 * How long a starting sshd may take to serve: up to 32 start at once, on machines whose cores
 * a whole test suite shares (a CI job running the sshd and unit tests side by side).
 */
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 2_000;

// Positional parameters keep paths out of the script text, so no quoting is involved.
const LAUNCH_SCRIPT = 'mount --bind "$0" "$1" && exec "$2" --pdeathsig KILL -- "$3" -D -e -f "$4"';

export class Host implements TestHost {
  readonly alias: string;
  readonly hostname = "127.0.0.1" as const;
  readonly user: string;
  readonly root: string;
  readonly mountPoint: string;
  readonly fingerprint: string;
  readonly #setup: HostSetup;
  #port: number;
  #current: Running | undefined;
  /** Serialises start() and stop(), which both replace #current. */
  #lifecycle: Promise<unknown> = Promise.resolve();

  constructor(setup: HostSetup) {
    this.#setup = setup;
    this.#port = setup.port;
    this.alias = setup.alias;
    this.user = setup.user;
    this.root = setup.files.root;
    this.mountPoint = setup.mountPoint;
    this.fingerprint = fingerprint(setup.hostKey);
  }

  get port(): number {
    return this.#port;
  }

  get hostKeyLine(): string {
    return knownHostsLine(this.#port, this.#setup.hostKey);
  }

  get running(): boolean {
    return this.#current !== undefined && isAlive(this.#current.child);
  }

  get pid(): number | undefined {
    return this.running ? this.#current?.child.pid : undefined;
  }

  local(remotePath: string): string {
    const { mountPoint } = this.#setup;
    const normalized = posix.normalize(remotePath);
    const relative = posix.relative(mountPoint, normalized);
    if (!posix.isAbsolute(remotePath) || relative === ".." || relative.startsWith("../")) {
      throw new Error(`${remotePath} is not under ${mountPoint}, the only directory of ${this.alias} with a local path`);
    }
    return relative === "" ? this.root : posix.join(this.root, relative);
  }

  start(): Promise<void> {
    return this.#serialise(() => this.#start());
  }

  /** First start only: a port lost to a race is replaced, since nobody has seen it yet. */
  startOnFreePort(nextPort: () => Promise<number>, attempts = 5): Promise<void> {
    return this.#serialise(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#start();
        } catch (error) {
          if (!(error instanceof PortInUseError) || attempt >= attempts) throw error;
          this.#port = await nextPort();
        }
      }
    });
  }

  stop(): Promise<void> {
    return this.#serialise(() => this.#stop());
  }

  kill(): void {
    const current = this.#current;
    if (!current) return;
    // Sessions may outlive a crashed sshd; the namespace is still held, so sweep it regardless.
    if (isAlive(current.child)) current.child.kill("SIGKILL");
    current.namespace?.killAll();
  }

  async exec(command: string) {
    const pid = this.#current?.namespace ? this.pid : undefined;
    if (pid === undefined) throw new Error(`${this.alias} is not running; use local() to reach its files`);
    const nsenter = await requireBinary("nsenter", "util-linux");
    // HOME as an ssh session on the host would see it, so `~` means the same in both.
    const env = { ...process.env, HOME: this.#setup.mountPoint };
    return run(nsenter, ["--mount", "--target", String(pid), "sh", "-c", command], env);
  }

  #serialise<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#lifecycle.then(operation);
    this.#lifecycle = result.catch(() => undefined);
    return result;
  }

  async #start(): Promise<void> {
    if (this.running) return;
    if (this.#current) await this.#reap(this.#current);
    const [unshare, setpriv, sshd] = await Promise.all([
      requireBinary("unshare", "util-linux"),
      requireBinary("setpriv", "util-linux"),
      requireBinary("sshd", "openssh-server"),
    ]);
    const { files, mountPoint } = this.#setup;
    await writeFile(
      files.sshdConfig,
      renderSshdConfig({
        port: this.#port,
        hostKey: files.hostKey,
        pidFile: files.pidFile,
        authorizedKeysFile: files.authorizedKeys,
        mountPoint,
        maxStartups: this.#setup.maxStartups,
        extraListenAddresses: this.#setup.extraListenAddresses,
      }),
    );
    // A pid file left by kill() would make the readiness check trust a dead daemon.
    await rm(files.pidFile, { force: true });
    // sshd's privilege-separated child chroots here; Debian creates it only when the ssh service runs.
    await mkdir("/run/sshd", { recursive: true, mode: 0o755 });

    // stderr goes to a file, not a pipe: a pipe nobody drains would block sshd, and the file
    // survives for post-mortems while the test runs.
    const log = await open(files.log, "a");
    const logStart = (await log.stat()).size;
    let child: ChildProcess;
    try {
      child = spawn(
        unshare,
        ["-m", "--propagation", "private", "--", "sh", "-c", LAUNCH_SCRIPT, files.root, mountPoint, setpriv, sshd, files.sshdConfig],
        // unshare, sh and setpriv all exec, so this child's pid is sshd's.
        { stdio: ["ignore", log.fd, log.fd] },
      );
    } finally {
      await log.close();
    }
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
    });
    const current: Running = { child, exited };
    this.#current = current;
    track(this);

    try {
      const pid = child.pid;
      if (pid === undefined) throw new Error("spawn failed");
      await waitForSshd({
        port: this.#port,
        pid,
        pidFile: files.pidFile,
        hasExited: () => !isAlive(child),
        timeoutMs: READY_TIMEOUT_MS,
      });
      current.namespace = MountNamespace.of(pid);
      // A forgotten stop() must not keep the test process alive; the exit hook kills sshd instead.
      child.unref();
    } catch (error) {
      this.kill();
      await this.#reap(current);
      const tail = await readLogTail(files.log, logStart);
      const reason = error instanceof Error ? error.message : String(error);
      const message = `${this.alias}: sshd did not start on 127.0.0.1:${this.#port}: ${reason}${tail ? `\n--- sshd stderr ---\n${tail}` : ""}`;
      throw /Address already in use/.test(tail) ? new PortInUseError(message) : new Error(message);
    }
  }

  async #stop(): Promise<void> {
    const current = this.#current;
    if (!current) return;
    if (isAlive(current.child)) {
      // The whole host goes down, sessions included, as when a machine is shut down.
      current.child.kill("SIGTERM");
      current.namespace?.signalAll("SIGTERM");
      if (!(await exitsWithin(current, STOP_GRACE_MS))) this.kill();
    }
    await this.#reap(current);
  }

  /** Waits for sshd to be gone, then clears out whatever is left in its namespace. */
  async #reap(current: Running): Promise<void> {
    // Referenced again so that the process cannot end (e.g. at a top-level await) mid-stop.
    current.child.ref();
    await current.exited;
    current.namespace?.killAll();
    current.namespace?.release();
    if (this.#current === current) {
      this.#current = undefined;
      untrack(this);
    }
  }
}
