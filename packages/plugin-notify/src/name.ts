/** Used for every tap and in every warning of this plugin. */
export const PLUGIN_NAME = "fap:notify";
