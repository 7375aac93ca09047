import { FapError } from "@fap/core";
import type { WebpackFunction, WebpackStats, WebpackStatsError, WebpackStatsJson } from "./_webpack-api.js";

export interface CompileResult {
  /** Output directory of each compiler (one for an object config). */
  outputDirs: string[];
  /** One line per warning. */
  warnings: string[];
}

export interface CompileOptions {
  /** false: create the compiler (which reads the config and says where it writes) but build nothing: --dry-run. */
  run: boolean;
  /** Receives webpack's own error output (every error, in full) before the build's error is thrown. */
  report(text: string): void;
}

/**
 * Runs webpack once on `configs`. A compile error throws E_COMMAND_FAILED whose message is
 * webpack's first error in one line (`./src/index.js 3:10: Module parse failed: ...`); an
 * invalid config throws E_CONFIG.
 */
export async function compile(webpack: WebpackFunction, configs: object[], options: CompileOptions): Promise<CompileResult> {
  let compiler;
  try {
    compiler = webpack(configs.length === 1 ? configs[0]! : configs);
  } catch (error) {
    throw new FapError("E_CONFIG", `webpack refused the config: ${configProblem(error)}`, {
      cause: error,
      hint: "check webpack_config; `npx webpack --mode production` in the project shows the same problem",
    });
  }
  const outputDirs = (compiler.compilers ?? [compiler]).map((c) => c.outputPath ?? "");
  if (!options.run) return { outputDirs, warnings: [] };

  const stats = await new Promise<WebpackStats | undefined>((resolve, reject) => {
    compiler.run((error, result) => {
      // close() lets caches and watchers of plugins finish; a build error still wins.
      compiler.close((closeError) => (error ?? closeError ? reject(error ?? closeError) : resolve(result)));
    });
  }).catch((error: unknown) => {
    throw new FapError("E_COMMAND_FAILED", `webpack failed: ${configProblem(error)}`, { cause: error });
  });
  if (stats === undefined) throw new FapError("E_COMMAND_FAILED", "webpack returned no stats");

  const json = stats.toJson({ all: false, errors: true, warnings: true, children: true });
  const errors = collect(json, "errors");
  if (stats.hasErrors() || errors.length > 0) {
    options.report(stats.toString({ all: false, errors: true, colors: false }).trim());
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""})` : "";
    throw new FapError("E_COMMAND_FAILED", `webpack: ${first ? describeError(first) : "the build failed"}${more}`, {
      hint: "fix the build (webpack's output is above); no host was touched",
      details: { errors: errors.map((e) => e.message) },
    });
  }
  return { outputDirs, warnings: collect(json, "warnings").map(describeError) };
}

/** `./src/index.js 3:10: Module parse failed: Unexpected token (3:10)`: where, then the first line of the message. */
export function describeError(error: WebpackStatsError): string {
  const where = [error.moduleName, error.loc].filter(Boolean).join(" ");
  const first = error.message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "";
  return where ? `${where}: ${first}` : first;
}

/** A MultiStats' toJson lists its compilers' problems under `children`. */
function collect(json: WebpackStatsJson, field: "errors" | "warnings"): WebpackStatsError[] {
  const own = json[field] ?? [];
  return own.length > 0 ? own : (json.children ?? []).flatMap((child) => collect(child, field));
}

/** A schema error's first line is generic; the first ` - configuration...` line says what is wrong. */
function configProblem(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((line) => line.startsWith("- configuration"))?.slice(2) ?? lines[0] ?? "unknown error";
}
