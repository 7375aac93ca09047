import { defineKeys, FapError, key, readKeys, task, toKeySpecs, type ConfigValuesOf, type FapPlugin, type HostContext, type KeyOptions } from "@fap/core";

const NAME = "fap-plugin-migrate";

export const MIGRATE_KEYS = defineKeys({
  migrate_command: key.string({ option: "command", defaultDoc: "required", description: "migrates the database; runs in the new release" }),
  migrate_status_command: key.string({ option: "statusCommand", defaultDoc: "none", description: "shows the migrations' state (fap run migrate:status)" }),
  migrate_role: key.string({ option: "role", defaultDoc: "any role", description: "the role whose primary host migrates" }),
  database_url: key.string({ secret: true, description: "given to the commands as DATABASE_URL, on stdin" }),
});

declare module "@fap/core" {
  interface ConfigValues extends ConfigValuesOf<typeof MIGRATE_KEYS> {}
}

/** Runs `command` in `dir` with DATABASE_URL read from stdin: the secret is on no command line. */
function withDatabase(ctx: HostContext, command: string | undefined, dir: string) {
  if (!command) throw new FapError("E_CONFIG", "migrate_command or migrate_status_command is not set", { host: ctx.host, hint: "set migrate_command: bin/migrate" });
  const { database_url } = readKeys(ctx.config, MIGRATE_KEYS);
  return ctx.run(`IFS= read -r DATABASE_URL; export DATABASE_URL; ${command}`, { cwd: dir, stdin: `${database_url ?? ""}\n` });
}

export default function migrate(options: KeyOptions<typeof MIGRATE_KEYS> = {}): FapPlugin {
  return {
    name: NAME,
    config: toKeySpecs(NAME, MIGRATE_KEYS, options),
    tasks: {
      "migrate:status": task({
        description: "show the state of the database's migrations",
        once: true, // on the primary host only: every host would say the same
        run: (ctx) => withDatabase(ctx, readKeys(ctx.config, MIGRATE_KEYS).migrate_status_command, ctx.paths.current),
      }),
    },
    apply({ hooks }) {
      // `updated`: every host has its new release, and no host publishes before all are done.
      hooks.updated.tapPromise(NAME, async (ctx) => {
        const { migrate_command, migrate_role } = readKeys(ctx.config, MIGRATE_KEYS);
        if (ctx.flow !== "deploy" || !ctx.primary || (migrate_role ?? ctx.role) !== ctx.role) return;
        // The first primary of the stage to get here migrates; with migrate_role there is just one.
        await ctx.once("migrate", (first) => withDatabase(first, migrate_command, first.paths.release!), { per: "stage" });
      });
    },
  };
}
