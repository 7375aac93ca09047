import { FapError, type KeySpecs } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of the matching seed key. */
export interface VirtualenvOptions {
  /** `virtualenv_requirements`: the requirements file pip installs, absolute or relative to the release. */
  requirements?: string;
  /** `virtualenv_venv_path`: where the venv is created, absolute or relative to the release. */
  venvPath?: string;
  /** `virtualenv_executive`: the command that creates the venv (its path is added as last argument). */
  executive?: string | string[];
  /** `virtualenv_pip_upgrade`: upgrade pip in the new venv before installing the requirements. */
  pipUpgrade?: boolean;
  /** `virtualenv_pip_options`: extra arguments for every `pip install`, e.g. `--no-index --find-links /srv/wheels`. */
  pipOptions?: string | string[];
  /** `virtualenv_pip_config_file`: PIP_CONFIG_FILE for pip on the hosts; `/dev/null` ignores every pip config file. */
  pipConfigFile?: string;
  /** `virtualenv_pip_index_url`: PIP_INDEX_URL for pip; a secret (it may hold credentials). */
  pipIndexUrl?: string;
  /** `virtualenv_reuse`: copy the previous release's venv when the requirements file is byte-identical. */
  reuse?: boolean;
}

declare module "@fap/core" {
  interface ConfigValues {
    virtualenv_requirements?: string;
    virtualenv_venv_path?: string;
    virtualenv_executive?: string | string[];
    virtualenv_pip_upgrade?: boolean;
    virtualenv_pip_options?: string | string[];
    virtualenv_pip_config_file?: string;
    virtualenv_pip_index_url?: string;
    virtualenv_reuse?: boolean;
  }
}

/** The keys the plugin reads, with the factory's options as their defaults. */
export function virtualenvKeys(options: VirtualenvOptions = {}): KeySpecs {
  checkOptions(options);
  return {
    virtualenv_requirements: {
      type: "string",
      default: options.requirements ?? "%(release_path)s/requirements.txt",
      description: "requirements file pip installs into the venv (relative paths are inside the release)",
    },
    virtualenv_venv_path: {
      type: "string",
      default: options.venvPath ?? "%(release_path)s/venv",
      description: "where each release's venv is created (relative paths are inside the release)",
    },
    virtualenv_executive: {
      type: "list",
      default: options.executive,
      description: "command that creates the venv, e.g. 'python3.11 -m venv' (default: virtualenv if the host has it, else python3 -m venv)",
    },
    virtualenv_pip_upgrade: {
      type: "boolean",
      default: options.pipUpgrade ?? false,
      description: "upgrade pip in the new venv before installing the requirements",
    },
    virtualenv_pip_options: {
      type: "list",
      default: options.pipOptions ?? [],
      description: "extra arguments for pip install, e.g. '--no-index --find-links /srv/wheels'",
    },
    virtualenv_pip_config_file: {
      type: "string",
      default: options.pipConfigFile,
      description: "PIP_CONFIG_FILE for pip on the hosts; /dev/null makes pip ignore every pip config file",
    },
    virtualenv_pip_index_url: {
      type: "string",
      default: options.pipIndexUrl,
      secret: true,
      description: "PIP_INDEX_URL for pip (may hold credentials: sent on stdin, never shown)",
    },
    virtualenv_reuse: {
      type: "boolean",
      default: options.reuse ?? false,
      description: "copy the previous release's venv when the requirements file is byte-identical, then verify it",
    },
  };
}

const STRING_OPTIONS = ["requirements", "venvPath", "pipConfigFile", "pipIndexUrl"] as const;
const WORDS_OPTIONS = ["executive", "pipOptions"] as const;
const BOOLEAN_OPTIONS = ["pipUpgrade", "reuse"] as const;

function checkOptions(options: VirtualenvOptions): void {
  const bad = (message: string) =>
    new FapError("E_CONFIG", `[${PLUGIN_NAME}] options: ${message}`, {
      hint: "e.g. virtualenv({ requirements: 'production-requirements.txt', pipOptions: ['--no-index', '--find-links', '/srv/wheels'] })",
    });
  if (typeof options !== "object" || options === null) throw bad("expected an object of options");
  for (const name of STRING_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "string") throw bad(`${name} must be a string, got ${typeof value}`);
  }
  for (const name of WORDS_OPTIONS) {
    const value: unknown = options[name];
    const ok = value === undefined || typeof value === "string" || (Array.isArray(value) && value.every((word) => typeof word === "string"));
    if (!ok) throw bad(`${name} must be a string or a list of strings`);
  }
  for (const name of BOOLEAN_OPTIONS) {
    const value = options[name];
    if (value !== undefined && typeof value !== "boolean") throw bad(`${name} must be true or false, got ${typeof value}`);
  }
}
