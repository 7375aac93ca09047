import { aboveZero, defineKeys, key, keySpecsFactory, wholeNumberAtLeast, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type Pm2Options = KeyOptions<typeof PM2_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof PM2_KEYS> {} }

export const EXEC_MODES = ["fork", "cluster"] as const;

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const PM2_KEYS = defineKeys(
  {
    pm2_name: key.string({ option: "name", default: "%(app_name)s", description: "the pm2 app name (in pm2_ecosystem: the app to start, `--only`)" }),
    pm2_script: key.string({ option: "script", description: "the script pm2 runs, relative to the release (e.g. dist/server.js); or set pm2_ecosystem" }),
    pm2_ecosystem: key.string({ option: "ecosystem", description: "an ecosystem file in the release (ecosystem.config.cjs); wins over pm2_script and the keys below" }),
    pm2_instances: key.number({ option: "instances", default: 1, check: wholeNumberAtLeast(0), description: "processes to run (0: one per CPU)" }),
    pm2_exec_mode: key.oneOf(EXEC_MODES, { option: "execMode", default: "fork", description: "fork, or cluster: pm2 balances one port over the instances and reloads them one by one (no downtime)" }),
    pm2_env: key.map({ option: "env", description: "environment of the app's processes, e.g. {PORT: '%(app_port)s'} (sent over stdin, never on a command line)" }),
    pm2_min_uptime: key.number({ option: "minUptime", default: 3, check: aboveZero, description: "seconds every process must stay online before the app counts as started (a crash loop fails)" }),
    pm2_timeout: key.number({ option: "timeout", default: 60, check: aboveZero, description: "seconds to wait for the app to be online for pm2_min_uptime" }),
    pm2_bin: key.words({ option: "bin", default: "pm2", description: "the pm2 command, e.g. /usr/local/bin/pm2 or 'sudo -n -u app pm2'" }),
    pm2_home: key.string({ option: "home", description: "PM2_HOME for every pm2 command (default: pm2's own, ~/.pm2 of the ssh user)" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    pm2_script: "the script pm2 runs, relative to the release (`dist/server.js`). pm2 is given it through `current`, so that a `reload` runs the release that is live. Either this or `pm2_ecosystem`",
    pm2_ecosystem: "an ecosystem file in the release (`ecosystem.config.cjs`, `pm2.json`), started with `--only pm2_name --cwd current`: write its `script` and `cwd` relative, not from `__dirname` (a path into one release would keep pm2 on that release; fap says so). Wins over `pm2_script`, `pm2_instances`, `pm2_exec_mode` and `pm2_env`",
    pm2_bin: "the pm2 command, a string split on spaces or a list: `/opt/app/node_modules/.bin/pm2`, `sudo -n -u app pm2`",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const pm2Keys = keySpecsFactory(PLUGIN_NAME, PM2_KEYS);
