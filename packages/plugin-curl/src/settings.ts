import { FapError, readKeys, requireKey } from "@fap/core";
import { isRelativeInside } from "@fap/core/internal";
import { CURL_KEYS } from "./keys.js";
import { parseArtifactUrl } from "./url.js";

/** The plugin's keys for one host, checked. */
export interface CurlSettings {
  /** curl_url without credentials: the only form that is ever shown. */
  url: string;
  /** `user:password` from curl_user, else from the URL; only ever written to curl's stdin. */
  user: string | undefined;
  /** Path of the download, relative to the release. */
  output: string;
  options: string[];
  extract: "tar" | "tgz" | undefined;
  postinstallScript: string | undefined;
  postinstallOutput: boolean;
  /** Seconds per attempt. */
  maxTime: number;
}

/** Reads and checks the keys from a host's resolved config; throws E_CONFIG naming the key (never a secret's value). */
export function readSettings(config: Readonly<Record<string, unknown>>): CurlSettings {
  const keys = readKeys(config, CURL_KEYS);
  const { url, credentials, basename } = parseArtifactUrl(
    requireKey(keys, "curl_url", "pass the artifact's URL: fap run deploy -s STAGE --curl-url=https://ci.example.com/app.tgz (or set curl_url: in the config)"),
  );

  const user = keys.curl_user ?? credentials;
  if (user !== undefined && !/^[^\x00-\x1f\x7f]*:[^\x00-\x1f\x7f]*$/.test(user)) {
    throw new FapError("E_CONFIG", "curl_user must be user:password on one line (its value is a secret and is not shown)", {
      hint: "e.g. --curl-user=deploy:$ARTIFACT_PASSWORD, or curl({ user: process.env.ARTIFACT_AUTH }) in deploy.config.ts",
    });
  }

  const output = keys.curl_output ?? basename;
  if (output === "") {
    throw new FapError("E_CONFIG", `curl_url '${url}' names no file, so curl_output is needed`, {
      hint: "set curl_output: to the file name the download gets in the release, e.g. app.tgz",
    });
  }
  if (!isRelativeInside(output) || output.startsWith("-")) {
    throw new FapError("E_CONFIG", `curl_output '${output}' must be a file path inside the release, not starting with '-'`, {
      hint: "e.g. curl_output: app.tgz",
    });
  }

  checkOptions(keys.curl_options, user !== undefined);

  const tar = keys.curl_extract_tar;
  const tgz = keys.curl_extract_tgz;
  if (tar && tgz) {
    throw new FapError("E_CONFIG", "curl_extract_tar and curl_extract_tgz are both true", {
      hint: "set curl_extract_tgz for a .tgz / .tar.gz, curl_extract_tar for a plain .tar",
    });
  }

  return {
    url,
    user,
    output,
    options: keys.curl_options,
    extract: tgz ? "tgz" : tar ? "tar" : undefined,
    postinstallScript: keys.curl_postinstall_script,
    postinstallOutput: keys.curl_postinstall_output,
    maxTime: keys.curl_max_time,
  };
}

/**
 * Refuses options that would put a password where it can be read: `-u`/`--user` on the host's
 * command line (ps, shell history), and, with curl_user, curl's -v/--trace, which print the
 * Authorization header (the password in base64).
 */
function checkOptions(options: readonly string[], hasUser: boolean): void {
  for (const option of options) {
    if (option === "--user" || /^-[A-Za-z]*u/.test(option)) {
      throw new FapError("E_CONFIG", "curl_options must not hold -u/--user: the password would be on the host's command line", {
        hint: "set curl_user: instead; fap sends it to curl on stdin",
      });
    }
    if (hasUser && (/^--(verbose|trace|trace-ascii)$/.test(option) || /^-[A-Za-z]*v[A-Za-z]*$/.test(option))) {
      throw new FapError("E_CONFIG", `curl_options '${option}' would print the Authorization header, which holds curl_user`, {
        hint: "drop it from curl_options, or debug the download without curl_user",
      });
    }
  }
}
