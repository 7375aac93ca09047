import { defineKeys, key, keySpecsFactory, type ConfigValuesOf, type KeyOptions } from "@fap/core";
import { PLUGIN_NAME } from "./name.js";

/** Typed options for deploy.config.ts; each becomes the default of its key. */
export type VirtualenvOptions = KeyOptions<typeof VIRTUALENV_KEYS>;
// deploy.config.ts learns the plugin's keys, at the top level, per stage and per role.
declare module "@fap/core" { interface ConfigValues extends ConfigValuesOf<typeof VIRTUALENV_KEYS> {} }

/** Every key the plugin reads, declared once: specs, options, deploy.config.ts types and the docs table come from here. */
export const VIRTUALENV_KEYS = defineKeys(
  {
    virtualenv_requirements: key.string({ option: "requirements", default: "%(release_path)s/requirements.txt", description: "requirements file pip installs into the venv (relative paths are inside the release)" }),
    virtualenv_venv_path: key.string({ option: "venvPath", default: "%(release_path)s/venv", description: "where the venv is created; a relative path is inside the release. The release itself or a folder above it is refused." }),
    virtualenv_executive: key.words({ option: "executive", defaultDoc: "`virtualenv` if the host has it, else `python3 -m venv`", description: "command that creates the venv, e.g. 'python3.11 -m venv' (default: virtualenv if the host has it, else python3 -m venv)" }),
    virtualenv_pip_upgrade: key.boolean({ option: "pipUpgrade", default: false, description: "upgrade pip in the new venv before installing the requirements" }),
    virtualenv_pip_options: key.words({ option: "pipOptions", default: [], description: "extra arguments for pip install, e.g. '--no-index --find-links /srv/wheels'" }),
    virtualenv_pip_config_file: key.string({ option: "pipConfigFile", defaultDoc: "unset: pip reads the host's pip config", description: "PIP_CONFIG_FILE for pip on the hosts; /dev/null makes pip ignore every pip config file" }),
    virtualenv_pip_index_url: key.string({ option: "pipIndexUrl", secret: true, description: "PIP_INDEX_URL for pip (may hold credentials: sent on stdin, never shown)" }),
    virtualenv_reuse: key.boolean({ option: "reuse", default: false, description: "copy the live release's venv instead of building one when the requirements file is byte-identical, then verify the copy" }),
  },
  // The docs table's meaning, where it says more than the description.
  {
    virtualenv_requirements: "the requirements file pip installs; a relative path is inside the release. Fapistrano's example is `'%(release_path)s/production-requirements.txt'`.",
    virtualenv_executive: "the command that creates the venv; the venv's path is added as its last argument: `python3.11 -m venv`, `virtualenv -p python3.11`",
    virtualenv_pip_options: "extra arguments for every `pip install`: `--no-index --find-links /srv/wheels`, `--index-url https://pypi.example/simple`, `--only-binary :all:`",
    virtualenv_pip_config_file: "`PIP_CONFIG_FILE` for pip: read after the host's own pip config files, its values win; `/dev/null` makes pip ignore every pip config file on the host",
    virtualenv_pip_index_url: "`PIP_INDEX_URL` for pip. It may hold credentials (`https://user:token@pypi.example/simple`), so it goes to the host on the command's stdin, never on a command line, and is never shown",
  },
);

/** The keys the plugin reads, with the factory's options as their defaults. */
export const virtualenvKeys = keySpecsFactory(PLUGIN_NAME, VIRTUALENV_KEYS);
