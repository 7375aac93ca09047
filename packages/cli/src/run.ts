// @fap/cli/run: how `fap` puts a run together and runs it, for @fap/testing's deployWith, so a
// plugin's tests go through the same code as `fap run deploy` (without the command line).
export { composeRun, type ComposeRunInput, type ComposedRun, type RunFlags, type RunSelection } from "./compose-run.js";
export { runNamed, type RunNamedInit } from "./run-named.js";
export type { RunOutputOptions } from "./run-output.js";
export type { Output } from "./human-reporter.js";
