import type { HostContext, HostPaths, RunOptions, RunTarget } from "../context.js";
import type { FlowName } from "../flow-name.js";
import { FapError } from "../errors.js";
import type { FapEvents } from "../events.js";
import type { HostState } from "./host-state.js";
import { sh } from "../shell/quote.js";
import type { ExecResult, Remote } from "../remote.js";
import { interruptedError } from "./run-phase.js";
import { DeferredCommands, withoutDeferredMark } from "./_deferred.js";
import { attachRunState, HostRunState } from "./host-run-state.js";
import { isOwnStdoutLine } from "./own-lines.js";
import { writeThroughError } from "../shell/no-write-through.js";
import { checkTimerMs } from "../config/durations.js";
import { dictionary } from "../config/own.js";
import { OnceRegistry } from "./run-view.js";
import { shorten } from "../shorten.js";

export interface HostContextInit {
  flow: FlowName;
  deployId: string;
  stage: string;
  role: string;
  host: string;
  /** Default: true, as the only host of its role. */
  primary?: boolean;
  labels?: Readonly<Record<string, string>>;
  /** The run's targets and `once` registry: one of each per session, shared by its hosts (default: this host alone). */
  targets?: readonly RunTarget[];
  once?: OnceRegistry;
  /** Commands deferred to the host's next one: shared by the targets of one host of the run (see host-of-run.ts). */
  deferred?: DeferredCommands;
  config: Readonly<Record<string, unknown>>;
  paths: HostPaths;
  release: { id: string | undefined; previousId: string | undefined };
  before: HostState;
  deployer: string;
  dryRun: boolean;
  remote: Remote;
  events: FapEvents;
  secrets: readonly string[];
  /** Aborted on Ctrl-C: from then on only clean-up commands run. */
  signal?: AbortSignal | undefined;
}

export function createHostContext(init: HostContextInit): HostContext {
  const recorded = dictionary<string>();
  // The run's one redactor: what this host adds (keys declared secret) is hidden on every output path.
  const redact = init.events.redactor.add(init.secrets).text;
  const timeoutSeconds = Number(init.config.command_timeout ?? 3600);

  const state = new HostRunState(init.deferred ?? new DeferredCommands());
  const { deferred } = state;
  const primary = init.primary ?? true;
  const labels = init.labels ?? {};
  // Every event of this host names its target: one host may serve several in a run.
  const target = { stage: init.stage, role: init.role };

  const run = async (command: string, options: RunOptions = {}): Promise<ExecResult> => {
    if (init.signal?.aborted && !options.evenIfInterrupted) throw interruptedError(init.signal);
    const own = options.cwd === undefined ? command : `${sh`cd ${options.cwd}`} && ${command}`;
    // Read from the run state, not the run: another step may be running on this host meanwhile.
    const { phase, actor: plugin } = state;
    if (options.defer && !init.dryRun) {
      if (options.stdin !== undefined || options.allowFailure) {
        throw new FapError("E_PLUGIN", "run(command, { defer: true }) takes neither stdin nor allowFailure", { host: init.host });
      }
      deferred.add({ command: own, shown: redact(own), phase, plugin });
      return { stdout: "", stderr: "", exitCode: 0 };
    }
    const waiting = deferred.take();
    const full = waiting === undefined ? own : `${waiting.prefix}${own}`;
    const shown = redact(full);
    const quiet = options.quiet ?? false;
    const started = Date.now();
    init.events.emit("command", { host: init.host, ...target, command: shown, phase, plugin });
    const result = await init.remote.exec(full, {
      timeoutMs: options.timeoutMs === undefined ? timeoutSeconds * 1000 : checkTimerMs(options.timeoutMs, init.host),
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      ...(options.keepBytes === undefined ? {} : { keepBytes: options.keepBytes }),
      ...(options.readOnly ? { readOnly: true } : {}),
      onStdout: (line) => isOwnStdoutLine(line) || init.events.emit("output", { host: init.host, ...target, stream: "stdout", line: redact(line), quiet, phase }),
      onStderr: (line) => {
        const shown = withoutDeferredMark(line);
        if (shown !== undefined) init.events.emit("output", { host: init.host, ...target, stream: "stderr", line: redact(shown), quiet, phase });
      },
    });
    init.events.emit("command-end", { host: init.host, ...target, command: shown, exitCode: result.exitCode, durationMs: Date.now() - started, phase, plugin });
    const failedFirst = waiting?.failure(result.stderr);
    if (failedFirst) {
      const { deferred: what } = failedFirst;
      throw commandFailed(init.host, what.shown, result.exitCode ?? result.signal, redact(failedFirst.stderr.trim()), `deferred by ${what.plugin ?? "fap"} in ${what.phase ?? "an earlier phase"}`);
    }
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw commandFailed(init.host, redact(own), result.exitCode ?? result.signal, redact(result.stderr.trim()), undefined, result.stderrBytes);
    }
    return result;
  };

  const ctx: HostContext = {
    flow: init.flow,
    deployId: init.deployId,
    stage: init.stage,
    role: init.role,
    host: init.host,
    primary,
    labels,
    targets: init.targets ?? [{ host: init.host, stage: init.stage, role: init.role, primary, labels }],
    once: (init.once ?? new OnceRegistry()).forHost(() => ctx),
    config: init.config,
    paths: init.paths,
    release: init.release,
    before: init.before,
    deployer: init.deployer,
    dryRun: init.dryRun,
    remote: init.remote,
    run,
    log: (message, level = "info") => init.events.emit("log", { host: init.host, ...target, level, message: redact(message) }),
    record: (fields) => Object.assign(recorded, fields),
    recorded,
  };
  attachRunState(ctx, state);
  return ctx;
}

function commandFailed(host: string, shown: string, status: number | string | null | undefined, stderr: string, origin?: string, stderrBytes?: number): FapError {
  // The message is one line of a terminal, however long the command's last line was.
  const last = stderr.slice(stderr.lastIndexOf("\n") + 1);
  const lastLine = last.length > MAX_QUOTED ? `${last.slice(0, MAX_QUOTED)}… (${last.length - MAX_QUOTED} more characters)` : last;
  // stderr is the kept tail (see KEPT_OUTPUT_BYTES); stderrBytes, when there, how much there was.
  const details = { command: shown, exitCode: typeof status === "number" ? status : null, stderr, ...(stderrBytes === undefined ? {} : { stderrBytes }) };
  const refused = writeThroughError(host, status, last, details);
  if (refused) return refused;
  return new FapError("E_COMMAND_FAILED", `\`${oneLine(shown)}\`${origin ? ` (${origin})` : ""} exited with ${status}${lastLine ? `: ${lastLine}` : ""}`, {
    host,
    details,
  });
}

/** Characters of a failed command's last stderr line quoted in its error. */
const MAX_QUOTED = 500;

function oneLine(command: string): string {
  return shorten(command.replace(/\s*\n\s*/g, "; "), 160);
}
