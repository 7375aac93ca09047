import { aboveZero, defineKeys, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type CurlOptions = KeyOptions<typeof CURL_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof CURL_KEYS> {} }

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const CURL_KEYS = defineKeys(
  {
    curl_url: key.string({ option: "url", defaultDoc: "required", description: "URL of the artifact each host downloads (--curl-url=URL)" }),
    curl_output: key.string({ option: "output", defaultDoc: "the last part of the URL's path (`app-1.4.2.tgz`)", description: "file name of the download, relative to the release" }),
    curl_options: key.list({ option: "options", default: [], description: "extra curl arguments, one item per argument" }),
    curl_user: key.string({ option: "user", secret: true, description: "`user:password` for the server; sent to curl on its stdin, never shown (below)" }),
    curl_extract_tar: key.boolean({ option: "extractTar", default: false, description: "the artifact is a tar: extract it into the release, then remove it" }),
    curl_extract_tgz: key.boolean({ option: "extractTgz", default: false, description: "the artifact is a gzipped tar (`.tgz`, `.tar.gz`): extract it into the release, then remove it" }),
    curl_postinstall_script: key.string({ option: "postinstallScript", description: "shell command run in the release after the download, e.g. ./install.sh" }),
    curl_postinstall_output: key.boolean({ option: "postinstallOutput", default: true, description: "show what the post-install script prints; with `false` it shows only under `-v` (its error still shows when it fails)" }),
    curl_max_time: key.number({ option: "maxTime", default: 600, check: aboveZero, description: "seconds one download attempt may take (`curl --max-time`)" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    curl_url: "URL of the artifact. Credentials written into it (`https://user:pass@host/...`) are taken out and handled like `curl_user`. Written to the release log (without credentials) as `artifact`.",
    curl_options: "extra curl arguments, **one list item per argument**: `[\"--retry\", \"5\", \"-H\", \"X-Token: abc\"]`. They come after fap's own, so `--retry` or `--max-time` here win. `-u`/`--user` is refused: use `curl_user`.",
    curl_postinstall_script: "a shell command run in the release after the download (and extraction), e.g. `./install.sh`. It is your own shell, run as written.",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const curlKeys = keySpecsFactory(PLUGIN_NAME, CURL_KEYS);
