/** Used for every tap and as the prefix of every error of this plugin. */
export const PLUGIN_NAME = "fap:systemd";
