import pLimit from "p-limit";
import { doctorCommand, parseDoctorOutput, type DoctorProbe } from "../shell/doctor.js";
import type { Target } from "../config/select.js";
import { FapError, isFapError } from "../errors.js";
import type { FapInstance } from "../fap.js";
import { lockedError } from "../lock/lock.js";
import { configuredRemote } from "../run/host-remote.js";
import { formatAddress, type Remote, type ResolvedAddress } from "../remote.js";
import { asFapError } from "../run/run-phase.js";
import { planRun } from "../run/plan.js";
import type { SessionOptions } from "../run/session-types.js";
import { connectTarget, resolveTarget, targetPaths } from "../run/target-config.js";
import { planPluginChecks } from "./_plugin-checks.js";

export interface DoctorCheck {
  /** `connect`, `host key`, `deploy path`, `disk`, `lock`, the name of a tool, or of a plugin's check. */
  name: string;
  ok: boolean;
  message: string;
  hint?: string | undefined;
}

export interface HostDoctor {
  host: string;
  stage: string;
  role: string;
  checks: DoctorCheck[];
}

export interface DoctorReport {
  hosts: HostDoctor[];
  ok: boolean;
}

export interface DoctorOptions {
  /** Less free space than this on the deploy path's file system is a ✗. Default 500 MiB. */
  minFreeMiB?: number;
}

/** Debian packages that hold the tools plugins usually need, for the hint. */
const PACKAGES: Readonly<Record<string, string>> = {
  supervisorctl: "supervisor",
  python3: "python3 python3-venv",
  git: "git",
  curl: "curl",
  tar: "tar",
  rsync: "rsync",
  unzip: "unzip",
  systemctl: "systemd",
  journalctl: "systemd",
};

/**
 * `fap doctor`: for each selected host, whether fap can work there, each finding with a fix.
 * Reads only: no directory is created, no lock taken. A host that cannot be reached is a
 * finding, not an error, so every host is checked.
 */
export async function doctor(options: SessionOptions, doctorOptions: DoctorOptions = {}): Promise<DoctorReport> {
  const { fap } = options;
  const plan = planRun(options);
  const tools = requiredTools(fap);
  const minFreeKiB = (doctorOptions.minFreeMiB ?? 500) * 1024;
  const limit = pLimit(Math.max(1, plan.parallel));
  const hosts = await Promise.all(
    plan.targets.map((target, i) =>
      limit(async (): Promise<HostDoctor> => {
        const base = { host: target.host, stage: target.stage, role: target.role };
        let remote: Remote;
        try {
          remote = await options.connector.connect(connectTarget(plan, i));
        } catch (error) {
          return { ...base, checks: [connectFailure(asFapError(error, target.host))] };
        }
        const targetConfig = resolveTarget(fap.keys, plan, i, remote.resolved);
        const resolved = targetConfig.config;
        const paths = targetPaths(plan, i, targetConfig);
        const programs = [...new Set([...tools.keys()].flatMap(alternatives))];
        const pluginChecks = planPluginChecks(fap, target.host, resolved.values, paths);
        // As a deploy would run it: as run_as (through sudo), so the checks are that user's.
        const result = await configuredRemote(remote, resolved.values)
          .exec(doctorCommand(paths, programs, pluginChecks.probes), { timeoutMs: 30_000 })
          .catch((error: unknown) => {
            if (isFapError(error) && error.code === "E_SUDO") return error;
            throw error;
          });
        if (isFapError(result)) return { ...base, checks: [{ name: "sudo", ok: false, message: result.message, hint: result.hint }] };
        const probe = parseDoctorOutput(result.stdout, programs, pluginChecks.probes.length);
        const checks = [...hostChecks(target, remote, paths.root, probe, tools, minFreeKiB), ...(await pluginChecks.verdicts(probe.probes))];
        return { ...base, checks };
      }),
    ),
  );
  return { hosts, ok: hosts.every((h) => h.checks.every((c) => c.ok)) };
}

/** `curl|wget`: any one of these programs will do. */
function alternatives(tool: string): string[] {
  return tool.split("|");
}

/** Each tool the plugins declare in `requires` (`git`, or `curl|wget` for either), with the plugins that need it. */
export function requiredTools(fap: Pick<FapInstance, "plugins">): Map<string, string[]> {
  const tools = new Map<string, string[]>();
  for (const plugin of fap.plugins) {
    for (const tool of plugin.requires ?? []) {
      if (!alternatives(tool).every((one) => /^(?:\/[A-Za-z0-9._+-]+)+$|^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(one))) {
        throw new FapError("E_PLUGIN", `plugin ${plugin.name}: requires '${tool}', which is not a program name or path`, {
          hint: "requires lists programs, e.g. ['git', 'tar'], ['/opt/app/bin/tool'] or ['curl|wget'] (either)",
        });
      }
      tools.set(tool, [...(tools.get(tool) ?? []), plugin.name]);
    }
  }
  return tools;
}

function connectFailure(error: FapError): DoctorCheck {
  const hostKey = error.code === "E_HOST_KEY_UNKNOWN" || error.code === "E_HOST_KEY_CHANGED";
  return { name: hostKey ? "host key" : "connect", ok: false, message: error.message, hint: error.hint };
}

function hostChecks(
  target: Target,
  remote: Remote,
  root: string,
  probe: DoctorProbe,
  tools: ReadonlyMap<string, string[]>,
  minFreeKiB: number,
): DoctorCheck[] {
  const address = remote.resolved;
  return [
    { name: "connect", ok: true, message: `connects as ${formatAddress(address)}${remote.auth ? ` with ${remote.auth}` : ""}` },
    { name: "host key", ok: true, message: `host key of ${address.hostname}:${address.port} matches known_hosts` },
    pathCheck(root, probe, address),
    diskCheck(probe, minFreeKiB),
    lockCheck(target.host, probe),
    ...[...tools].map(([tool, plugins]) => toolCheck(tool, plugins, probe.tools)),
  ];
}

function pathCheck(root: string, probe: DoctorProbe, address: ResolvedAddress): DoctorCheck {
  const name = "deploy path";
  const user = probe.user ?? address.user;
  const existing = probe.existing ?? root;
  if (!probe.isDirectory) {
    return { name, ok: false, message: `${root} cannot be created: ${existing} is not a directory`, hint: `set path to a directory, or remove ${existing} on the host` };
  }
  if (!probe.writable) {
    return {
      name,
      ok: false,
      message: `${existing} is not writable by ${user}`,
      hint: `on the host: sudo mkdir -p ${root} && sudo chown ${user} ${root}`,
    };
  }
  if (existing !== root) return { name, ok: true, message: `${root} will be created in ${existing} (writable by ${user})` };
  return { name, ok: true, message: `${root} is writable by ${user}` };
}

function diskCheck(probe: DoctorProbe, minFreeKiB: number): DoctorCheck {
  const name = "disk";
  if (probe.freeKiB === undefined) return { name, ok: false, message: "cannot read the free space (df failed)", hint: "check that df works on the host" };
  const where = probe.mount ? ` on ${probe.mount}` : "";
  if (probe.freeKiB < minFreeKiB) {
    return { name, ok: false, message: `only ${size(probe.freeKiB)} free${where}`, hint: "make room on the host, or lower keep_releases" };
  }
  return { name, ok: true, message: `${size(probe.freeKiB)} free${where}` };
}

function lockCheck(host: string, probe: DoctorProbe): DoctorCheck {
  if (!probe.lock) return { name: "lock", ok: true, message: "not locked" };
  const error = lockedError(host, probe.lock);
  return { name: "lock", ok: false, message: error.message, hint: error.hint };
}

function toolCheck(tool: string, plugins: readonly string[], found: ReadonlyMap<string, string | undefined>): DoctorCheck {
  const choices = alternatives(tool);
  const first = choices.find((one) => found.get(one));
  if (first) return { name: tool, ok: true, message: `${first} is ${found.get(first)}` };
  return {
    name: tool,
    ok: false,
    message: `${choices.join(" or ")} not found (needed by ${plugins.join(", ")})`,
    hint: `install ${choices.length > 1 ? "one of them" : "it"} on the host, e.g. apt-get install ${PACKAGES[choices[0]!] ?? choices[0]}, or put it on the PATH of non-interactive ssh sessions`,
  };
}

function size(kib: number): string {
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(1)} GiB`;
  return `${Math.round(kib / 1024)} MiB`;
}
