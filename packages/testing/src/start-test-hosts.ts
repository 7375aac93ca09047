import { rmSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join, posix } from "node:path";
import { renderSshConfig } from "./_client-files.js";
import { Host, type HostFiles } from "./_host.js";
import { generateKey } from "./_keys.js";
import { track, untrack, type Killable } from "./_live.js";
import { mapLimit } from "./_map-limit.js";
import { freePorts } from "./_ports.js";
import { checkTestHostSupport } from "./check-support.js";
import type { StartTestHostsOptions, TestHosts } from "./types.js";

/** Hosts set up at once: enough to keep 2 cores busy, few enough that none misses its readiness timeout. */
const START_AT_ONCE = 32;

/**
 * Starts `count` OpenSSH servers on 127.0.0.1, each in its own mount namespace where its private
 * directory appears at `mountPoint`, plus a client HOME whose ssh config reaches them by alias.
 * Always call stop(): it takes the hosts down and deletes every file this created.
 */
export async function startTestHosts(options: StartTestHostsOptions): Promise<TestHosts> {
  const { count, prefix = "host", knownHosts = true, hostKeyType = "ed25519", maxStartups, extraListenAddresses } = options;
  const mountPoint = normaliseMountPoint(options.mountPoint ?? "/srv");
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
  if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(prefix)) throw new Error(`prefix must be a plain host alias prefix, got ${JSON.stringify(prefix)}`);
  await checkTestHostSupport();

  const dir = await realpath(await mkdtemp(join(tmpdir(), "fap-testing-")));
  const hosts: Host[] = [];
  const stopHosts = () => Promise.all(hosts.map((host) => host.stop()));
  try {
    if (dir === mountPoint || dir.startsWith(`${mountPoint}/`)) {
      throw new Error(`mountPoint ${mountPoint} would hide the hosts' own files in ${dir} from sshd`);
    }
    const home = join(dir, "home");
    const sshDir = join(home, ".ssh");
    const identityFile = join(sshDir, "id_ed25519");
    const authorizedKeys = join(dir, "authorized_keys");
    const sshConfigPath = join(sshDir, "config");
    const knownHostsPath = join(sshDir, "known_hosts");
    await Promise.all([mkdir(sshDir, { recursive: true, mode: 0o700 }), mkdir(mountPoint, { recursive: true })]);

    const user = userInfo().username;
    const [clientKey, ports] = await Promise.all([generateKey(identityFile, "ed25519", "fap-testing client"), freePorts(count)]);
    await writeFile(authorizedKeys, `${clientKey.type} ${clientKey.base64}\n`);
    hosts.push(
      ...(await mapLimit(ports, START_AT_ONCE, async (port, index) => {
        const alias = `${prefix}${index + 1}`;
        const files = hostFiles(join(dir, alias), hostKeyType, authorizedKeys);
        await mkdir(files.root, { recursive: true });
        const hostKey = await generateKey(files.hostKey, hostKeyType, alias);
        return new Host({ alias, port, user, mountPoint, hostKey, files, maxStartups, extraListenAddresses });
      })),
    );

    const started = await mapLimit(hosts, START_AT_ONCE, (host) =>
      host.startOnFreePort(async () => (await freePorts(1))[0]!).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    const failure = started.find((error) => error !== undefined);
    if (failure) throw failure;

    // Written last: the ports are final only once every sshd has bound its own.
    await Promise.all([
      writeFile(sshConfigPath, renderSshConfig(hosts, identityFile, knownHostsPath), { mode: 0o600 }),
      writeFile(knownHostsPath, knownHosts ? hosts.map((host) => `${host.hostKeyLine}\n`).join("") : "", { mode: 0o600 }),
    ]);

    // If the test process exits without stop(), at least the files go too (the hosts track themselves).
    const leftovers: Killable = {
      kill: () => {
        for (const host of hosts) host.kill();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    track(leftovers);
    let stopping: Promise<void> | undefined;
    return {
      hosts,
      home,
      // An empty SSH_AUTH_SOCK counts as unset for OpenSSH and ssh2: the developer's agent stays out.
      env: { HOME: home, SSH_AUTH_SOCK: "" },
      sshConfigPath,
      knownHostsPath,
      identityFile,
      dir,
      stop: () =>
        (stopping ??= (async () => {
          await stopHosts();
          await rm(dir, { recursive: true, force: true });
          untrack(leftovers);
        })()),
    };
  } catch (error) {
    await stopHosts();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function hostFiles(dir: string, keyType: string, authorizedKeys: string): HostFiles {
  return {
    root: join(dir, "root"),
    hostKey: join(dir, `ssh_host_${keyType}_key`),
    sshdConfig: join(dir, "sshd_config"),
    pidFile: join(dir, "sshd.pid"),
    log: join(dir, "sshd.log"),
    authorizedKeys,
  };
}

function normaliseMountPoint(mountPoint: string): string {
  const normalised = posix.normalize(mountPoint).replace(/(.)\/+$/, "$1");
  if (!posix.isAbsolute(normalised) || normalised === "/") {
    throw new Error(`mountPoint must be an absolute path other than /, got ${JSON.stringify(mountPoint)}`);
  }
  return normalised;
}
