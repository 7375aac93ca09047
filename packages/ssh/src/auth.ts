import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { FileCache } from "./_file-cache.js";
import { readLocalFile } from "./read-local-file.js";
import ssh2 from "ssh2";
import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, IdentityCallback, ParsedKey } from "ssh2";

interface Identity {
  file: string;
  key: ParsedKey;
}

/** What was found among the identity files, kept for the message when nothing works. */
export interface Identities {
  usable: Identity[];
  /** Encrypted keys: fap cannot ask for a passphrase, so only the agent can use them. */
  encrypted: string[];
  /** Files named in ~/.ssh/config that do not exist (defaults that do not exist are not news). */
  missing: string[];
  unreadable: string[];
  /** Public halves (from the key or its .pub) for IdentitiesOnly's agent filter. */
  publicKeys: Buffer[];
}

const identityCache = new FileCache<Identities>();

/** The identity files, read and parsed once for as long as none of them changes. */
export function loadIdentities(files: readonly string[], reportMissing: boolean): Promise<Identities> {
  const watched = [...files, ...files.map((file) => `${file}.pub`), reportMissing ? "report-missing" : "quiet"];
  return identityCache.get(watched, () => readIdentities(files, reportMissing));
}

async function readIdentities(files: readonly string[], reportMissing: boolean): Promise<Identities> {
  const found: Identities = { usable: [], encrypted: [], missing: [], unreadable: [], publicKeys: [] };
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readLocalFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        if (reportMissing) found.missing.push(file);
      } else {
        found.unreadable.push(`${file} (${code ?? (error as Error).message})`);
      }
      continue;
    }
    const parsed = parseOne(data);
    if (parsed instanceof Error) {
      if (/encrypted/i.test(parsed.message)) {
        found.encrypted.push(file);
        const pub = await readPublicKey(`${file}.pub`);
        if (pub) found.publicKeys.push(pub);
      } else {
        found.unreadable.push(`${file} (${parsed.message})`);
      }
      continue;
    }
    found.usable.push({ file, key: parsed });
    found.publicKeys.push(parsed.getPublicSSH());
  }
  return found;
}

function parseOne(data: Buffer): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) return parsed;
  // parseKey returns an array for files holding several keys; OpenSSH only ever writes one.
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (!key) return new Error("no key in file");
  if (!key.isPrivateKey()) return new Error("not a private key");
  return key;
}

async function readPublicKey(file: string): Promise<Buffer | undefined> {
  try {
    const parsed = ssh2.utils.parseKey(await readFile(file));
    if (parsed instanceof Error) return undefined;
    const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
    return key?.getPublicSSH();
  } catch {
    return undefined;
  }
}

/** Only a socket that exists: ssh2 would otherwise report a failed agent as a connection error. */
export async function usableAgentSocket(socket: string | undefined): Promise<string | undefined> {
  if (socket === undefined || socket === "" || socket === "none") return undefined;
  try {
    // At once, as readLocalFile reads: the connect it comes before is not delayed.
    return statSync(socket).isSocket() ? socket : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The agent, optionally restricted to the identity files' keys (IdentitiesOnly), counting the
 * keys it offered so the error can say so.
 */
class FilteringAgent extends ssh2.OpenSSHAgent {
  offered = 0;

  constructor(
    socket: string,
    private readonly allowed: readonly Buffer[] | undefined,
  ) {
    super(socket);
  }

  override getIdentities(cb: IdentityCallback<ParsedKey>): void {
    super.getIdentities((err, keys) => {
      if (err || !keys) return cb(err, keys);
      const allowed = this.allowed;
      const kept = allowed
        ? keys.filter((k) => "getPublicSSH" in k && allowed.some((a) => a.equals(k.getPublicSSH())))
        : keys;
      this.offered = kept.length;
      cb(undefined, kept);
    });
  }
}

export interface AuthPlan {
  handler: AuthHandlerMiddleware;
  /** Methods the server said it accepts, once it said so ("publickey", ...). */
  serverMethods(): string[];
  /** One line for the hint: what was tried and what was skipped. */
  describe(): string;
  /** The method offered last: once the client is ready, the one that worked (`key FILE`, `ssh-agent`). */
  used(): string | undefined;
}

export interface AuthInputs {
  user: string;
  agentSocket: string | undefined;
  identities: Identities;
  identitiesOnly: boolean;
  /** Keys named in ~/.ssh/config go before the agent's, as the user asked for them. */
  filesFirst: boolean;
}

export function planAuth(inputs: AuthInputs): AuthPlan {
  const { user, agentSocket, identities } = inputs;
  const agent =
    agentSocket === undefined
      ? undefined
      : new FilteringAgent(agentSocket, inputs.identitiesOnly ? identities.publicKeys : undefined);

  const fileMethods: Array<[AnyAuthMethod, string]> = identities.usable.map((id) => [{ type: "publickey", username: user, key: id.key }, `key ${id.file}`]);
  const agentMethods: Array<[AnyAuthMethod, string]> = agent ? [[{ type: "agent", username: user, agent }, `ssh-agent ${agentSocket}`]] : [];
  const methods = inputs.filesFirst ? [...fileMethods, ...agentMethods] : [...agentMethods, ...fileMethods];
  // With nothing to offer, "none" at least learns which methods the server wants, for the message.
  if (methods.length === 0) methods.push([{ type: "none", username: user }, "no authentication"]);

  let serverMethods: string[] = [];
  let offered: string | undefined;
  const handler: AuthHandlerMiddleware = (authsLeft: AuthenticationType[] | null, _partial, next) => {
    if (authsLeft) serverMethods = authsLeft;
    const method = methods.shift();
    offered = method?.[1];
    next(method?.[0] ?? (false as unknown as AnyAuthMethod));
  };

  return {
    handler,
    serverMethods: () => serverMethods,
    used: () => offered,
    describe() {
      const parts: string[] = [];
      const tried: string[] = [];
      if (agentSocket !== undefined) {
        tried.push(`ssh-agent ${agentSocket} (${agent?.offered ?? 0} key${agent?.offered === 1 ? "" : "s"}${inputs.identitiesOnly ? ", IdentitiesOnly" : ""})`);
      }
      tried.push(...identities.usable.map((id) => id.file));
      parts.push(tried.length > 0 ? `tried ${tried.join(", ")}` : "no key to try: no ssh-agent (SSH_AUTH_SOCK) and no identity file");
      if (identities.encrypted.length > 0) {
        parts.push(`skipped encrypted ${identities.encrypted.join(", ")} (add it to ssh-agent: ssh-add FILE)`);
      }
      if (identities.missing.length > 0) parts.push(`missing ${identities.missing.join(", ")}`);
      if (identities.unreadable.length > 0) parts.push(`unreadable ${identities.unreadable.join(", ")}`);
      return parts.join("; ");
    },
  };
}
