import { FapError, type KeySpecs } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the matching seed key. */
export interface CurlOptions {
  /** `curl_url`: where each host downloads the artifact from. */
  url?: string;
  /** `curl_output`: file name of the download in the release; default: the URL's last path part. */
  output?: string;
  /** `curl_options`: extra arguments for curl, one list item per argument. */
  options?: string[];
  /** `curl_user`: "user:password" for the server; a secret, sent to curl on its stdin. */
  user?: string;
  /** `curl_extract_tar`: the artifact is a tar; extract it into the release and remove it. */
  extractTar?: boolean;
  /** `curl_extract_tgz`: the artifact is a gzipped tar; extract it into the release and remove it. */
  extractTgz?: boolean;
  /** `curl_postinstall_script`: shell command run in the release after the download, e.g. ./install.sh. */
  postinstallScript?: string;
  /** `curl_postinstall_output`: show what the post-install script prints. */
  postinstallOutput?: boolean;
  /** `curl_max_time`: seconds one download attempt may take. */
  maxTime?: number;
}

declare module "@fap/core" {
  interface ConfigValues {
    curl_url?: string;
    curl_output?: string;
    curl_options?: string[] | string;
    curl_user?: string;
    curl_extract_tar?: boolean;
    curl_extract_tgz?: boolean;
    curl_postinstall_script?: string;
    curl_postinstall_output?: boolean;
    curl_max_time?: number;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults. */
export function curlKeys(options: CurlOptions = {}): KeySpecs {
  checkOptions(options);
  return {
    curl_url: { type: "string", default: options.url, description: "URL of the artifact each host downloads (--curl-url=URL)" },
    curl_output: {
      type: "string",
      default: options.output,
      description: "file name of the download in the release (default: the last part of curl_url's path)",
    },
    curl_options: { type: "list", default: options.options ?? [], description: "extra curl arguments, one item per argument" },
    curl_user: {
      type: "string",
      default: options.user,
      secret: true,
      description: "user:password for the server; sent to curl on stdin, never on a command line",
    },
    curl_extract_tar: { type: "boolean", default: options.extractTar ?? false, description: "extract the artifact (a tar) into the release, then remove it" },
    curl_extract_tgz: {
      type: "boolean",
      default: options.extractTgz ?? false,
      description: "extract the artifact (a gzipped tar) into the release, then remove it",
    },
    curl_postinstall_script: {
      type: "string",
      default: options.postinstallScript,
      description: "shell command run in the release after the download, e.g. ./install.sh",
    },
    curl_postinstall_output: { type: "boolean", default: options.postinstallOutput ?? true, description: "show what the post-install script prints" },
    curl_max_time: { type: "number", default: options.maxTime ?? 600, description: "seconds one download attempt may take (curl --max-time)" },
  };
}

const STRING_OPTIONS = ["url", "output", "user", "postinstallScript"] as const;
const BOOLEAN_OPTIONS = ["extractTar", "extractTgz", "postinstallOutput"] as const;

function checkOptions(options: CurlOptions): void {
  const bad = (message: string) =>
    new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: ${message}`, { hint: "e.g. curl({ url: 'https://ci.example.com/app.tgz', extractTgz: true })" });
  if (typeof options !== "object" || options === null) throw bad("expected an object of options");
  for (const name of STRING_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "string") throw bad(`${name} must be a string, got ${typeof value}`);
  }
  for (const name of BOOLEAN_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean") throw bad(`${name} must be true or false, got ${typeof value}`);
  }
  if (options.options !== undefined && !(Array.isArray(options.options) && options.options.every((o) => typeof o === "string"))) {
    throw bad("options must be a list of strings, one per curl argument");
  }
  const maxTime = options.maxTime;
  if (maxTime !== undefined && !(typeof maxTime === "number" && Number.isFinite(maxTime) && maxTime > 0)) {
    throw bad(`maxTime must be a number of seconds above 0, got ${String(maxTime)}`);
  }
}
