// @fap/core: what plugin authors (and deploy.config.ts) use. Listed in api/public.txt, which a
// test compares to this file's exports: a change here shows in review. fap's own packages
// import the rest from @fap/core/internal.
export { FapError, isFapError, formatFapError, type FapErrorCode, type FapErrorOptions } from "./errors.js";
export { sh, quote, raw, RawShell } from "./shell/quote.js";
export type { ExecResult } from "./remote.js";
export { redactor } from "./secrets/redact.js";
export type { FapEventMap, FapEvents } from "./events.js";
export type { FlowName } from "./flow-name.js";
export type { HostPaths, RunOptions, HostContext, RunContext, RunTarget, OnceOptions, Once } from "./context.js";
export type { HostEntry, HostObject } from "./config/host-entries.js";
export type { Hooks, HostHookName, FapHook, TapOptions, OutcomeHookName } from "./hooks/hooks.js";
export type { RunSummary, TargetSummary, TargetState, TargetResult, HostResultState } from "./run/run-summary.js";
export { definePlugin, type DoctorCheckContext, type DoctorVerdict, type FapPlugin, type PluginDoctorCheck, type PluginFactory } from "./plugin.js";
export { createFap, type FapInstance, type CreateFapOptions } from "./fap.js";
export type { ReleaseLogEntry, ReleaseStatus } from "./release/release-log.js";
export {
  defineConfig,
  type CheckedStages,
  type ConfigValues,
  type FapConfig,
  type KnownConfigKey,
  type PluginEntry,
  type RoleConfig,
  type StageConfig,
  type TaskConfig,
} from "./config/types.js";
export { aboveZero, httpStatus, wholeNumberAtLeast, type KeyCheck, type KeySpec, type KeySpecs, type KeyType } from "./config/keys.js";
export { defineKeys, key, type AnyKey, type Key, type KeyDeclarations } from "./config/declare-keys.js";
export { keySpecsFactory, readKeys, toKeySpecs, type ConfigValuesOf, type KeyOptions, type KeyValues } from "./config/key-values.js";
export { keyTable } from "./config/key-table.js";
export { requireKey } from "./config/require-key.js";
export { CORE_PLUGIN_NAME } from "./core-plugin.js";
export { task, series, parallel, type Task, type TaskBody, type TaskRun, type TaskSpec, type TaskStep } from "./tasks/task.js";
export { secret } from "./secrets/secrets.js";
export { refuseSymlinks, writeThroughError, type RefuseSymlinksOptions } from "./shell/no-write-through.js";
