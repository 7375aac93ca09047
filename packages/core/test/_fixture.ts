import type { EventEmitter } from "node:events";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import type { FapConfig } from "../src/config/types.js";
import type { FapEventMap } from "../src/events.js";
import type { FapInstance } from "../src/fap.js";
import { compareReleaseIds } from "../src/release/release-id.js";
import { parseReleaseLog, type ReleaseLogEntry } from "../src/release/release-log.js";
import type { SessionOptions } from "../src/run/session-types.js";
import { localConnector } from "./_local-remote.js";

export const HOSTS = ["a", "b"] as const;

/**
 * Two "hosts" a and b, each with its own deploy path under one temporary directory (with a
 * space in it, so every path goes through quoting), run with the local shell.
 */
export function createFixture() {
  const tmp = mkdtempSync(join(tmpdir(), "fap flow "));
  const connector = localConnector({ cwd: tmp });
  let clock = Date.UTC(2024, 0, 2, 3, 4, 5);

  const root = (host: string) => join(tmp, host, "app");

  return {
    tmp,
    connector,
    root,

    /** A config deploying production.web to a and b; `values` go to the top level, `role` to the role. */
    config(values: Record<string, unknown> = {}, role: Record<string, unknown> = {}): FapConfig {
      return {
        ...values,
        stage_role_configs: {
          production: { web: { hosts: [...HOSTS], path: `${tmp}/%(host)s/app`, ...role } },
        },
      };
    },

    /** Options for a flow; each call's clock is one second after the previous one. */
    options(fap: FapInstance, config: FapConfig, extra: Partial<SessionOptions> = {}): SessionOptions {
      const at = new Date((clock += 1000));
      return { fap, config, selection: { stage: "production" }, connector, now: () => at, ...extra };
    },

    /** The release id `current` points to, or undefined. */
    current(host: string): string | undefined {
      const link = join(root(host), "current");
      if (!existsSync(link) && !isSymlink(link)) return undefined;
      expect(isSymlink(link)).toBe(true);
      return readlinkSync(link).replace(/^releases\//, "");
    },

    /** Release directories, oldest first. */
    releases(host: string): string[] {
      const dir = join(root(host), "releases");
      return existsSync(dir) ? readdirSync(dir).sort(compareReleaseIds) : [];
    },

    /** The raw lines of the release log. */
    logLines(host: string): ReleaseLogEntry[] {
      const file = join(root(host), ".fap", "releases.log");
      if (!existsSync(file)) return [];
      return readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as ReleaseLogEntry);
    },

    /** The latest status of each release in the log. */
    log(host: string): Map<string, ReleaseLogEntry> {
      const file = join(root(host), ".fap", "releases.log");
      return parseReleaseLog(existsSync(file) ? readFileSync(file, "utf8") : "");
    },

    /** Every path under the fixture whose file name is `name`. */
    find(name: string): string[] {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.name === name) found.push(path);
          if (entry.isDirectory()) walk(path);
        }
      };
      walk(tmp);
      return found;
    },

    cleanup() {
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export type Fixture = ReturnType<typeof createFixture>;

/**
 * A fresh fixture for each test of the file, removed after it: `const fx = useFixture();` at the
 * top level, then `fx.config()`, `fx.root("a")` ... in the tests, each on that test's fixture.
 */
export function useFixture(): Fixture {
  let current: Fixture | undefined;
  beforeEach(() => {
    current = createFixture();
  });
  afterEach(() => current?.cleanup());
  return new Proxy({} as Fixture, {
    get(_target, name) {
      if (current === undefined) throw new Error(`fx.${String(name)} outside a test: the fixture exists from beforeEach on`);
      return Reflect.get(current, name);
    },
  });
}

export function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Records every event of a fap instance, in order. */
export function recordEvents(fap: FapInstance) {
  const events: Array<{ [K in keyof FapEventMap]: { type: K; event: FapEventMap[K][0] } }[keyof FapEventMap]> = [];
  for (const type of ["phase", "command", "output", "command-end", "log", "host-result"] as const) {
    (fap.events as unknown as EventEmitter).on(type, (event: unknown) => events.push({ type, event } as (typeof events)[number]));
  }
  return events;
}

/** The error a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; hint?: string; details?: Record<string, unknown> }> {
  return promise.then(
    () => {
      throw new Error("expected the promise to reject");
    },
    (error: unknown) => error as Error,
  );
}
