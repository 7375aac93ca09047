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
  | "E_NO_PREVIOUS_RELEASE"
  | "E_NO_CURRENT_RELEASE"
  | "E_DEPLOY_FAILED"
  | "E_LOCKED"
  | "E_INTERRUPTED"
  | "E_UNFINISHED"; // the event loop drained before the run ended: something never settled

/** Codes caused by what the user wrote or typed: the CLI exits 2 for these. */
export const USER_ERROR_CODES: ReadonlySet<FapErrorCode> = new Set<FapErrorCode>([
  "E_CONFIG",
  "E_CONFIG_NOT_FOUND",
  "E_NO_STAGE",
  "E_NO_ROLE",
  "E_INTERPOLATION",
  "E_PLUGIN_NOT_FOUND",
  "E_USAGE",
]);

export interface FapErrorOptions {
  hint?: string;
  cause?: unknown;
  /** The host the error happened on, when there is one. */
  host?: string;
  /** Structured details for --json output and for plugins (command, exitCode, stderr, ...). */
  details?: Record<string, unknown>;
}

export class FapError extends Error {
  override readonly name = "FapError";
  readonly code: FapErrorCode;
  readonly hint: string | undefined;
  readonly host: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: FapErrorCode, message: string, options: FapErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.host = options.host;
    this.details = options.details ?? {};
  }

  get isUserError(): boolean {
    return USER_ERROR_CODES.has(this.code);
  }
}

export function isFapError(value: unknown): value is FapError {
  return value instanceof FapError;
}
