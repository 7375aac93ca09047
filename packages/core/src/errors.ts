/**
 * The one error class of fap. `code` is stable and machine-readable; `message` is the one
 * line a user sees; `hint` says how to fix it. The CLI prints message and hint, and the
 * stack only with --debug.
 */
export type FapErrorCode =
  | "E_CONFIG" // the config file is malformed or a value has the wrong type
  | "E_CONFIG_NOT_FOUND"
  | "E_NO_STAGE"
  | "E_NO_ROLE"
  | "E_INTERPOLATION"
  | "E_PLUGIN_NOT_FOUND"
  | "E_PLUGIN"
  | "E_USAGE"
  | "E_SSH_CONNECT"
  | "E_SSH_AUTH"
  | "E_HOST_KEY_UNKNOWN"
  | "E_HOST_KEY_CHANGED"
  | "E_CONNECTION_LOST"
  | "E_COMMAND_FAILED"
  | "E_COMMAND_TIMEOUT"
  | "E_SUDO" // run_as / sudo: sudo did not run the command (it wants a password, no such user, not installed)
  | "E_NO_PREVIOUS_RELEASE"
  | "E_NO_CURRENT_RELEASE"
  | "E_DEPLOY_FAILED"
  | "E_LOCKED"
  | "E_CLEANUP_FAILED" // a host could not be switched back or unlocked after a run
  | "E_ROLLBACK_DIVERGED" // the hosts would roll back to different releases
  | "E_RELEASE_NOT_FOUND" // a release named on the command line (rollback --to, --mark-bad) is not where it must be
  | "E_INTERRUPTED"
  | "E_UNFINISHED" // the event loop drained before the run ended: something never settled
  | "E_HOST_STATE" // what a host holds (its release log) could not be read whole
  | "E_UPLOAD_SYMLINK"; // a symlink in what @fap/plugin-upload ships points outside it

/** Codes caused by what the user wrote or typed: the CLI exits 2 for these. */
export const USER_ERROR_CODES: ReadonlySet<FapErrorCode> = new Set<FapErrorCode>([
  "E_CONFIG",
  "E_CONFIG_NOT_FOUND",
  "E_NO_STAGE",
  "E_NO_ROLE",
  "E_INTERPOLATION",
  "E_PLUGIN_NOT_FOUND",
  "E_USAGE",
  "E_UPLOAD_SYMLINK",
]);

export interface FapErrorOptions {
  hint?: string;
  cause?: unknown;
  /** The host the error happened on, when there is one; not repeated in the message. */
  host?: string | undefined;
  /** The plugin whose tap or task failed (`fap:git`); set by core, not repeated in the message. */
  plugin?: string | undefined;
  /** The hook that tap ran in (`updating`), or `task NAME`; set by core. */
  hook?: string | undefined;
  /** Structured details for --json output and for plugins (command, exitCode, stderr, ...). */
  details?: Record<string, unknown>;
}

// Symbol.for: a plugin that bundles its own copy of @fap/core throws that copy's FapError.
const FAP_ERROR_BRAND = Symbol.for("fap.error");

/**
 * `message` is the plain message; where it happened (`plugin`, `hook`, `host`) are fields,
 * put in front of it when it is printed (formatFapError) and given as fields in --json.
 */
export class FapError extends Error {
  override readonly name = "FapError";
  readonly [FAP_ERROR_BRAND] = true;
  readonly code: FapErrorCode;
  readonly hint: string | undefined;
  readonly host: string | undefined;
  readonly plugin: string | undefined;
  readonly hook: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: FapErrorCode, message: string, options: FapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.host = options.host;
    this.plugin = options.plugin;
    this.hook = options.hook;
    this.details = options.details ?? {};
  }

  get isUserError(): boolean {
    return USER_ERROR_CODES.has(this.code);
  }
}

/** Whether `value` is a FapError, of this copy of @fap/core or of another one. */
export function isFapError(value: unknown): value is FapError {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[FAP_ERROR_BRAND] === true;
}

/** The options that make a copy of `error` with all it says (for a changed message or added fields). */
export function fapErrorOptions(error: FapError): FapErrorOptions {
  return { hint: error.hint, host: error.host, plugin: error.plugin, hook: error.hook, details: error.details, cause: error.cause };
}

/**
 * The line a user reads: `[plugin] hook: host: message`, each part only when known. `host:
 * false` leaves the host out, where the line already names it.
 */
export function formatFapError(error: FapError, options: { host?: boolean } = {}): string {
  const where = error.plugin === undefined ? "" : `[${error.plugin}] ${error.hook === undefined ? "" : `${error.hook}: `}`;
  const host = error.host !== undefined && options.host !== false ? `${error.host}: ` : "";
  return `${where}${host}${error.message}`;
}

/** The line a user reads for anything thrown. */
export function formatError(error: unknown, options: { host?: boolean } = {}): string {
  if (isFapError(error)) return formatFapError(error, options);
  return error instanceof Error ? error.message : String(error);
}
