import { describe, expect, it } from "vitest";
import virtualenv, { PLUGIN_NAME, pipReason } from "../src/index.js";
import { readSettings } from "../src/settings.js";
import { expectNamedWithDefaults, expectRegistered, keyDefaults } from "../../../test/plugin-keys.js";
import { thrown } from "../../../test/thrown.js";

const REL = "/srv/www/app/releases/240101-120000";
describe("virtualenv()", () => {
  it("defaults like Fapistrano when called with no options, as YAML's plugins: [fapistrano.virtualenv] does", () => {
    const plugin = virtualenv();
    expectNamedWithDefaults(plugin, PLUGIN_NAME, {
      virtualenv_requirements: "%(release_path)s/requirements.txt",
      virtualenv_venv_path: "%(release_path)s/venv",
      virtualenv_executive: undefined,
      virtualenv_pip_upgrade: false,
      virtualenv_pip_options: [],
      virtualenv_pip_config_file: undefined,
      virtualenv_pip_index_url: undefined,
      virtualenv_reuse: false,
    });
    expect(plugin.config?.virtualenv_pip_index_url?.secret).toBe(true);
  });

  it("makes its options the keys' defaults", () => {
    const plugin = virtualenv({
      requirements: "production-requirements.txt",
      venvPath: ".venv",
      executive: "python3 -m venv",
      pipUpgrade: true,
      pipOptions: ["--no-index", "--find-links", "/srv/wheels"],
      pipConfigFile: "/dev/null",
      pipIndexUrl: "https://pypi.example/simple",
      reuse: true,
    });
    expect(keyDefaults(plugin)).toEqual({
      virtualenv_requirements: "production-requirements.txt",
      virtualenv_venv_path: ".venv",
      virtualenv_executive: "python3 -m venv",
      virtualenv_pip_upgrade: true,
      virtualenv_pip_options: ["--no-index", "--find-links", "/srv/wheels"],
      virtualenv_pip_config_file: "/dev/null",
      virtualenv_pip_index_url: "https://pypi.example/simple",
      virtualenv_reuse: true,
    });
  });

  it("registers with core", () => {
    expectRegistered(virtualenv(), "virtualenv_pip_options", "list");
  });

  it.each([
    [{ requirements: false }, "[fap:virtualenv] options: 'requirements' must be a string, got boolean false"],
    [{ pipOptions: 1 }, "[fap:virtualenv] options: 'pipOptions' must be a list, got number 1"],
    [{ reuse: "yes" }, "[fap:virtualenv] options: 'reuse' must be true or false, got string \"yes\""],
  ])("rejects %j", (options, message) => {
    expect(() => virtualenv(options as never)).toThrow(expect.objectContaining({ code: "E_CONFIG", message }));
  });
});

describe("readSettings", () => {
  const config = {
    virtualenv_requirements: `${REL}/requirements.txt`,
    virtualenv_venv_path: `${REL}/venv`,
    virtualenv_pip_upgrade: false,
    virtualenv_pip_options: [],
    virtualenv_reuse: false,
  };

  it("reads a host's resolved keys", () => {
    expect(readSettings(config, REL)).toEqual({
      requirements: `${REL}/requirements.txt`,
      venvPath: `${REL}/venv`,
      executive: undefined,
      pipUpgrade: false,
      pipOptions: [],
      pipConfigFile: undefined,
      pipIndexUrl: undefined,
      reuse: false,
    });
  });

  it("takes relative paths inside the release and splits strings into words", () => {
    const settings = readSettings(
      {
        ...config,
        virtualenv_requirements: "production-requirements.txt",
        virtualenv_venv_path: "./.venv/",
        virtualenv_executive: " virtualenv  -p python3 ",
        virtualenv_pip_options: "--no-index --find-links=/srv/wheels",
      },
      REL,
    );
    expect(settings).toMatchObject({
      requirements: `${REL}/production-requirements.txt`,
      venvPath: `${REL}/.venv`,
      executive: ["virtualenv", "-p", "python3"],
      pipOptions: ["--no-index", "--find-links=/srv/wheels"],
    });
  });

  it("keeps list items whole, so a path may hold a space", () => {
    expect(readSettings({ ...config, virtualenv_pip_options: ["--find-links", "/srv/my wheels"] }, REL).pipOptions).toEqual([
      "--find-links",
      "/srv/my wheels",
    ]);
  });

  it.each([
    [{ virtualenv_venv_path: REL }, `virtualenv_venv_path '${REL}' would replace the release itself`],
    [{ virtualenv_venv_path: "/srv/www" }, "virtualenv_venv_path '/srv/www' would replace the release itself"],
    [{ virtualenv_venv_path: ".." }, "virtualenv_venv_path '/srv/www/app/releases' would replace the release itself"],
    [{ virtualenv_requirements: "" }, "virtualenv_requirements is empty"],
    [
      { virtualenv_pip_options: ["--find-links /srv/wheels"] },
      "virtualenv_pip_options: '--find-links /srv/wheels' is one list item but looks like an option and its value",
    ],
  ])("rejects %j", (values, message) => {
    const error = thrown(() => readSettings({ ...config, ...values }, REL));
    expect(error).toMatchObject({ code: "E_CONFIG", message });
  });
});

describe("pipReason", () => {
  it.each([
    [
      "Looking in links: /w\nERROR: Could not find a version that satisfies the requirement nope==1 (from versions: none)\nERROR: No matching distribution found for nope==1\n",
      "ERROR: Could not find a version that satisfies the requirement nope==1 (from versions: none) ERROR: No matching distribution found for nope==1",
    ],
    ["Error: [Errno 13] Permission denied: '/srv/venv'\n", "Error: [Errno 13] Permission denied: '/srv/venv'"],
    ["The virtual environment was not created successfully because ensurepip is not\navailable.\n", "available."],
    ["", "exit code 1"],
  ])("%j", (stderr, reason) => {
    expect(pipReason(stderr, 1)).toBe(reason);
  });
});
