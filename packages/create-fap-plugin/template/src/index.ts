import { FapError, sh, type FapPlugin, type KeySpecs } from "@fap/core";

/** Used for every tap and as the prefix of every error of this plugin. */
export const PLUGIN_NAME = "__PACKAGE_NAME__";

export interface __OPTIONS_TYPE__ {
  /** Default of `__KEY_PREFIX___message`. */
  message?: string;
}

// deploy.config.ts learns the plugin's keys: `__KEY_PREFIX___message: 42` is a type error there.
declare module "@fap/core" {
  interface ConfigValues {
    __KEY_PREFIX___message?: string;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults. */
export function __FACTORY__Keys(options: __OPTIONS_TYPE__ = {}): KeySpecs {
  return {
    __KEY_PREFIX___message: {
      type: "string",
      default: options.message ?? "hello from __SHORT_NAME__",
      description: "what __FILE_NAME__ holds in each release",
    },
  };
}

/**
 * Writes `__KEY_PREFIX___message` into __FILE_NAME__ in each new release, once the release's
 * files are in place. Replace this with your plugin's work; keep `apply` free of I/O.
 */
export default function __FACTORY__(options: __OPTIONS_TYPE__ = {}): FapPlugin {
  if (options.message !== undefined && typeof options.message !== "string") {
    throw new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: message must be a string`, {
      hint: "e.g. __FACTORY__({ message: 'deployed' })",
    });
  }
  return {
    name: PLUGIN_NAME,
    config: __FACTORY__Keys(options),
    apply({ hooks }) {
      hooks.updated.tapPromise(PLUGIN_NAME, async (ctx) => {
        if (ctx.flow !== "deploy") return;
        const message = String(ctx.config.__KEY_PREFIX___message);
        // sh quotes every value: a message like "$(rm -rf /)" is only ever text.
        await ctx.run(sh`printf '%s\\n' ${message} > __FILE_NAME__`, { cwd: ctx.paths.release });
        ctx.log("wrote __FILE_NAME__");
      });
    },
  };
}
