import { randomBytes } from "node:crypto";

/** A well-formed SSH public key blob: string type, then string key material. */
export function blob(type: string, fill = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(t.length);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(fill.length);
  return Buffer.concat([head, t, len, fill]);
}
