import { defineKeys, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type UploadOptions = KeyOptions<typeof UPLOAD_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof UPLOAD_KEYS> {} }

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const UPLOAD_KEYS = defineKeys(
  {
    upload_dir: key.string({ option: "dir", defaultDoc: "unset (one of the two is required)", description: "local folder whose content becomes the release's, e.g. CI's build output (relative to where fap runs)" }),
    upload_archive: key.string({ option: "archive", description: "local .tar, .tgz or .tar.gz whose content becomes the release's (instead of upload_dir)" }),
    upload_exclude: key.list({ option: "exclude", default: [], description: "globs of paths not to ship (`*.map`, `node_modules/.cache`, `/tmp`)" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    upload_dir: "a local folder (relative to where fap runs), e.g. CI's build output: its content is shipped into the root of each new release. Read once, before any host is touched",
    upload_archive: "a local `.tar`, `.tgz` or `.tar.gz` to ship instead of `upload_dir`: unpacked once into a temporary folder (with the local tar), then shipped like one",
    upload_exclude: "globs of paths not to ship: `*` and `?` stay within one path part, `**` crosses them; a glob without `/` matches a name at any depth (`*.map`), one with `/` matches from the top (`/tmp`, `assets/*.psd`). An excluded folder is left out whole",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults (a bad option throws). */
export const uploadKeys = keySpecsFactory(PLUGIN_NAME, UPLOAD_KEYS);
