import type { ExecOptions, ExecResult, Remote, ResolvedAddress, ShellOptions } from "@fap/core/internal";
import type { Connection } from "./connection.js";
import { execOnConnection } from "./exec.js";
import { shellOnConnection } from "./shell.js";

/**
 * A host as core sees it. It asks the connector for the pooled connection on every call, so a
 * command after a lost connection reconnects instead of failing forever; the commands that
 * were running when it was lost do fail, with E_CONNECTION_LOST.
 */
export class SshRemote implements Remote {
  constructor(
    readonly host: string,
    readonly resolved: ResolvedAddress,
    private readonly connection: () => Promise<Connection>,
    /** How the first connection authenticated, for fap doctor. */
    readonly auth?: string | undefined,
  ) {}

  async exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return execOnConnection(await this.connection(), this.host, command, options);
  }

  async shell(options: ShellOptions): Promise<number> {
    return shellOnConnection(await this.connection(), options);
  }
}
