import { defineKeys, key, readKeys, sh, toKeySpecs, type ConfigValuesOf, type FapPlugin, type KeyOptions } from "@fap/core";

/** Used for every tap and as the prefix of every error of this plugin. */
export const PLUGIN_NAME = "__PACKAGE_NAME__";

export type __OPTIONS_TYPE__ = KeyOptions<typeof KEYS>;
// deploy.config.ts learns the plugin's keys: `__KEY_PREFIX___message: 42` is a type error there, at every level.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof KEYS> {} }

/**
 * Every key the plugin reads, declared once: fap checks values against it (at every level and
 * on the command line), the factory's options and deploy.config.ts's types come from it. A key
 * whose docs need more than its description gets a `doc`, or a second argument to defineKeys:
 * `{ __KEY_PREFIX___message: "longer markdown" }`.
 */
export const KEYS = defineKeys({
  __KEY_PREFIX___message: key.string({ option: "message", default: "hello from __SHORT_NAME__", description: "what `__FILE_NAME__` holds in each release" }),
});

/**
 * Writes `__KEY_PREFIX___message` into __FILE_NAME__ in each new release, once the release's
 * files are in place. Replace this with your plugin's work; keep `apply` free of I/O.
 */
export default function __FACTORY__(options: __OPTIONS_TYPE__ = {}): FapPlugin {
  return {
    name: PLUGIN_NAME,
    // Options become the keys' defaults; a wrong option throws here, naming it.
    config: toKeySpecs(PLUGIN_NAME, KEYS, options),
    apply({ hooks }) {
      hooks.updated.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const { __KEY_PREFIX___message: message = "" } = readKeys(ctx.config, KEYS);
        // sh quotes every value: a message like "$(rm -rf /)" is only ever text.
        await ctx.run(sh`printf '%s\\n' ${message} > __FILE_NAME__`, { cwd: ctx.paths.release });
        ctx.log("wrote __FILE_NAME__");
      });
    },
  };
}
