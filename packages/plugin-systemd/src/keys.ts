import { defineKeys, key, keySpecsFactory, wholeNumberAtLeast, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type SystemdOptions = KeyOptions<typeof SYSTEMD_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof SYSTEMD_KEYS> {} }

export const ACTIONS = ["restart", "reload", "reload-or-restart"] as const;

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const SYSTEMD_KEYS = defineKeys(
  {
    systemd_unit: key.words({ option: "unit", default: "%(app_name)s", description: "the unit(s) to restart once the release is live: a name or a list (app, app-worker@1.service)" }),
    systemd_user: key.boolean({ option: "user", default: false, description: "true: the SSH user's own units (systemctl --user); false: system units, which need root (sudo: true or run_as: root)" }),
    systemd_action: key.oneOf(ACTIONS, { option: "action", default: "restart", description: "what systemctl does to the units: restart, reload (the unit's ExecReload) or reload-or-restart" }),
    systemd_daemon_reload: key.boolean({ option: "daemonReload", default: true, description: "run systemctl daemon-reload first, so that an edited unit file takes effect" }),
    systemd_min_uptime: key.number({ option: "minUptime", default: 3, check: wholeNumberAtLeast(0), description: "seconds every unit must stay active, with the same main process and no restart, before it counts as started (a crash loop fails)" }),
    systemd_timeout: key.number({ option: "timeout", default: 60, check: wholeNumberAtLeast(1), description: "seconds to wait for the units to be active for systemd_min_uptime" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    systemd_unit: "the unit or units to act on once the release is live: a name, a list, or names split on spaces (`api`, `[api, api-worker@1.service]`); without a suffix, `.service`",
    systemd_user: "`true`: the units of the SSH user's own manager (`systemctl --user`; a deploy user without a login session needs `loginctl enable-linger USER`). `false`: system units, which need root: `sudo: true` or `run_as: root`",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const systemdKeys = keySpecsFactory(PLUGIN_NAME, SYSTEMD_KEYS);
