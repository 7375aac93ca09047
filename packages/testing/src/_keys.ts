import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { requireBinary } from "./_binaries.js";
import { runChecked } from "./_run.js";
import type { HostKeyType } from "./types.js";

export interface PublicKey {
  /** Wire name, e.g. "ssh-ed25519". */
  type: string;
  /** Base64 of the key blob, as in authorized_keys and known_hosts. */
  base64: string;
}

/** Writes `path` and `path.pub` with no passphrase; returns the public half. */
export async function generateKey(path: string, type: HostKeyType, comment: string): Promise<PublicKey> {
  const keygen = await requireBinary("ssh-keygen", "openssh-client");
  await runChecked(keygen, ["-q", "-t", type, "-N", "", "-C", comment, "-f", path]);
  return parsePublicKey(await readFile(`${path}.pub`, "utf8"));
}

function parsePublicKey(line: string): PublicKey {
  const [type, base64] = line.trim().split(/\s+/);
  if (!type || !base64) throw new Error(`unexpected public key format: ${line}`);
  return { type, base64 };
}

/** Same text as `ssh-keygen -l -E sha256`: unpadded base64 of the SHA-256 of the key blob. */
export function fingerprint(key: PublicKey): string {
  const digest = createHash("sha256").update(Buffer.from(key.base64, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}
