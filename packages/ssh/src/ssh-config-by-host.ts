import SSHConfig from "ssh-config";

type Line = SSHConfig[number];
type ComputeArgs = Parameters<SSHConfig["compute"]>;

/**
 * `config` resolving each host on only the lines that can apply to it, with the same result.
 *
 * ssh-config's compute() tests every Host line against the host by building about fourteen
 * regular expressions per pattern: with one Host block per machine, resolving each of 500
 * hosts went through all 500 blocks (half a second of CPU per deploy, growing with the square
 * of the fleet). A Host block whose patterns are all plain names (no wildcard, no negation)
 * applies only to a host of one of those names (compute compares them exactly), so for any
 * other host it is left out before compute; every other line stays, in order.
 *
 * That holds while compute matches Host lines against the name it was given, which it does not
 * after CanonicalizeHostName (it retries with a domain appended) or under `Match final` (a
 * second pass with the HostName): such a config is computed whole.
 */
export function resolvingByHost(config: SSHConfig): Pick<SSHConfig, "compute"> {
  if (config.some(changesHostName)) return config;
  const names = new Map<Line, ReadonlySet<string>>();
  for (const line of config) {
    const plain = plainHostNames(line);
    if (plain) names.set(line, plain);
  }
  if (names.size === 0) return config;
  return {
    compute: ((...args: ComputeArgs) => {
      const [opts] = args;
      const host = typeof opts === "string" ? opts : opts.Host;
      const lines = SSHConfig.parse("");
      for (const line of config) if (names.get(line)?.has(host) !== false) lines.push(line);
      return lines.compute(...args);
    }) as SSHConfig["compute"],
  };
}

/** The names of a Host block whose patterns are all plain names; undefined for any other line. */
function plainHostNames(line: Line): ReadonlySet<string> | undefined {
  if (line.type !== SSHConfig.DIRECTIVE || !/^host$/i.test(line.param) || !("config" in line)) return undefined;
  // As ssh-config's glob reads the value: a list of words, or one string split at commas.
  const patterns = Array.isArray(line.value) ? line.value.map(({ val }) => val) : line.value.split(/,/);
  if (patterns.some((p) => p === "" || p.startsWith("!") || /[*?\\]/.test(p))) return undefined;
  return new Set(patterns);
}

function changesHostName(line: Line): boolean {
  if (line.type !== SSHConfig.DIRECTIVE) return false;
  if (/^canonicalizehostname$/i.test(line.param)) return true;
  if ("criteria" in line && Object.keys(line.criteria).some((key) => key.toLowerCase() === "final")) return true;
  return "config" in line && line.config.some(changesHostName);
}
