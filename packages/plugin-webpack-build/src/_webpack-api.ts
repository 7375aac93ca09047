/**
 * The few parts of webpack's Node API the plugin uses, written out so that the plugin's types
 * do not depend on a webpack installation: the project's own webpack is loaded at run time.
 */
export interface WebpackStatsError {
  message: string;
  moduleName?: string;
  loc?: string;
}

export interface WebpackStatsJson {
  errors?: WebpackStatsError[];
  warnings?: WebpackStatsError[];
  children?: WebpackStatsJson[];
}

export interface WebpackStats {
  hasErrors(): boolean;
  toJson(options: Record<string, unknown>): WebpackStatsJson;
  toString(options: Record<string, unknown>): string;
}

interface WebpackCompiler {
  /** A single compiler's output directory. */
  outputPath?: string;
  /** A MultiCompiler's compilers (an array config). */
  compilers?: WebpackCompiler[];
  run(callback: (error: Error | null | undefined, stats?: WebpackStats) => void): void;
  close(callback: (error?: Error | null) => void): void;
}

export type WebpackFunction = ((config: object | object[]) => WebpackCompiler) & { version?: string };
