import type { HostPaths } from "../context.js";
import type { FapInstance } from "../fap.js";
import type { DoctorCheckContext, DoctorVerdict, PluginDoctorCheck } from "../plugin.js";
import type { ProbeOutput } from "../shell/doctor.js";

/** One finding of `fap doctor`, as flows/doctor.ts reports it. */
interface Finding extends DoctorVerdict {
  name: string;
}

/** A plugin's doctor check with the probe it asks for on one host. */
interface PlannedCheck {
  plugin: string;
  check: PluginDoctorCheck;
  /** Index into the probes sent with doctor's command; undefined when the check has nothing to run here. */
  probe: number | undefined;
}

export interface PluginChecks {
  /** The shell probes to send, in order. */
  probes: string[];
  /** Each check's finding from the probes' outputs (a check that throws is a ✗ naming its plugin). */
  verdicts(outputs: ReadonlyArray<ProbeOutput | undefined>): Promise<Finding[]>;
}

/** The doctor checks every plugin declares, planned for one host. */
export function planPluginChecks(fap: Pick<FapInstance, "plugins">, host: string, config: Readonly<Record<string, unknown>>, paths: HostPaths): PluginChecks {
  const { release: _release, ...hostPaths } = paths;
  const ctx: DoctorCheckContext = { host, config, paths: hostPaths };
  const probes: string[] = [];
  const planned: Array<PlannedCheck | Finding> = [];
  for (const plugin of fap.plugins) {
    for (const check of plugin.doctor ?? []) {
      try {
        const probe = check.probe(ctx);
        if (probe !== undefined) probes.push(probe);
        planned.push({ plugin: plugin.name, check, probe: probe === undefined ? undefined : probes.length - 1 });
      } catch (error) {
        planned.push(failed(plugin.name, check, error));
      }
    }
  }
  return {
    probes,
    async verdicts(outputs) {
      const findings: Finding[] = [];
      for (const entry of planned) {
        if (!("check" in entry)) {
          findings.push(entry);
          continue;
        }
        const output = entry.probe === undefined ? { stdout: "", exitCode: 0 } : outputs[entry.probe];
        if (output === undefined) {
          findings.push({ name: entry.check.name, ok: false, message: `${entry.plugin}'s probe printed nothing (the host's shell ended it early)`, hint: "run fap doctor --debug to see the command" });
          continue;
        }
        try {
          const verdict = await entry.check.verdict(output, ctx);
          if (verdict) findings.push({ name: entry.check.name, ok: verdict.ok, message: verdict.message, hint: verdict.hint });
        } catch (error) {
          findings.push(failed(entry.plugin, entry.check, error));
        }
      }
      return findings;
    },
  };
}

/** A check that threw: its error, as a ✗ naming the plugin, so the other checks still report. */
function failed(plugin: string, check: PluginDoctorCheck, error: unknown): Finding {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return {
    name: check.name,
    ok: false,
    message: `[${plugin}] ${error instanceof Error ? error.message : String(error)}`,
    hint: typeof hint === "string" ? hint : undefined,
  };
}
