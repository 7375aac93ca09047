import { randomUUID } from "node:crypto";

/** A fresh run id: 8 hex digits. */
export function newDeployId(): string {
  return randomUUID().slice(0, 8);
}
