import { createFap } from "@fap/core";
import { describe, expect, it } from "vitest";
import supervisorctl, { confSource, PLUGIN_NAME, supervisorTasks } from "../src/index.js";
import { readSettings } from "../src/settings.js";
import { expectNamedWithDefaults, expectRegistered, keyDefaults } from "../../../test/plugin-keys.js";
import { thrown } from "../../../test/thrown.js";

describe("supervisorctl()", () => {
  it("defaults like Fapistrano when called with no options, as YAML's plugins: [fapistrano.supervisorctl] does", () => {
    expectNamedWithDefaults(supervisorctl(), PLUGIN_NAME, {
      supervisor_program: "%(app_name)s",
      supervisor_conf: "configs/supervisor_%(stage)s_%(role)s.conf",
      supervisor_target: "/etc/supervisor/conf.d/%(supervisor_program)s.conf",
      supervisor_restart: true,
      supervisor_refresh: false,
      supervisor_check_status: false,
      supervisor_check_timeout: 30,
      supervisor_output: false,
      supervisor_ctl: "supervisorctl",
      supervisor_config: undefined,
      supervisor_server_url: undefined,
    });
  });

  it("makes its options the keys' defaults", () => {
    const plugin = supervisorctl({
      program: "web:*",
      conf: "configs/supervisor_%(role)s.conf",
      target: "/srv/supervisor/conf.d/web.conf",
      restart: false,
      refresh: true,
      checkStatus: true,
      checkTimeout: 10,
      output: true,
      ctl: ["sudo", "-n", "supervisorctl"],
      configFile: "/srv/supervisor/supervisord.conf",
      serverUrl: "unix:///srv/supervisor/supervisor.sock",
    });
    expect(keyDefaults(plugin)).toEqual({
      supervisor_program: "web:*",
      supervisor_conf: "configs/supervisor_%(role)s.conf",
      supervisor_target: "/srv/supervisor/conf.d/web.conf",
      supervisor_restart: false,
      supervisor_refresh: true,
      supervisor_check_status: true,
      supervisor_check_timeout: 10,
      supervisor_output: true,
      supervisor_ctl: ["sudo", "-n", "supervisorctl"],
      supervisor_config: "/srv/supervisor/supervisord.conf",
      supervisor_server_url: "unix:///srv/supervisor/supervisor.sock",
    });
  });

  it("registers with core", () => {
    expectRegistered(supervisorctl(), "supervisor_check_status", "boolean");
  });

  it("adds the tasks supervisor:status, supervisor:restart and supervisor:stop", () => {
    expect(Object.keys(supervisorTasks)).toEqual(["supervisor:status", "supervisor:restart", "supervisor:stop"]);
    const fap = createFap([supervisorctl()]);
    expect([...fap.tasks.values()].filter((t) => t.owner === PLUGIN_NAME).map((t) => [t.name, t.task.description])).toEqual([
      ["supervisor:status", "show what supervisord reports for supervisor_program"],
      ["supervisor:restart", "restart supervisor_program (with supervisor_check_status: wait until it runs)"],
      ["supervisor:stop", "stop supervisor_program"],
    ]);
  });

  it.each([
    [{ checkTimeout: 0 }, "[fap:supervisorctl] options: 'checkTimeout' must be a number above 0, got number 0"],
    [{ program: true }, "[fap:supervisorctl] options: 'program' must be a string, got boolean true"],
    [{ checkStatus: "yes" }, "[fap:supervisorctl] options: 'checkStatus' must be true or false, got string \"yes\""],
  ])("rejects %j", (options, message) => {
    expect(() => supervisorctl(options as never)).toThrow(expect.objectContaining({ code: "E_CONFIG", message }));
  });
});

describe("readSettings", () => {
  // A host's resolved keys: the defaults, their %(...)s filled in for app on production/web.
  const config = {
    ...keyDefaults(supervisorctl()),
    supervisor_program: "app",
    supervisor_conf: "configs/supervisor_production_web.conf",
    supervisor_target: "/etc/supervisor/conf.d/app.conf",
  };

  it("reads a host's resolved keys", () => {
    expect(readSettings(config)).toEqual({
      program: "app",
      group: "app",
      conf: "configs/supervisor_production_web.conf",
      target: "/etc/supervisor/conf.d/app.conf",
      restart: true,
      refresh: false,
      checkStatus: false,
      checkTimeout: 30,
      output: false,
      ctl: ["supervisorctl"],
    });
  });

  it("points supervisorctl at a config or a server URL", () => {
    expect(readSettings({ ...config, supervisor_ctl: "sudo -n supervisorctl", supervisor_config: "/srv/s.conf", supervisor_server_url: "unix:///srv/s.sock" }).ctl).toEqual([
      "sudo", "-n", "supervisorctl", "-c", "/srv/s.conf", "-s", "unix:///srv/s.sock",
    ]);
  });

  it("takes the group of group:* and links nothing without supervisor_conf", () => {
    expect(readSettings({ ...config, supervisor_program: "web:*", supervisor_conf: "" })).toMatchObject({ group: "web", conf: undefined });
  });

  it.each([
    [{ supervisor_program: "" }, "supervisor_program is empty"],
    [{ supervisor_program: "my app" }, "supervisor_program 'my app' is not a supervisor program name"],
    [{ supervisor_program: "-c" }, "supervisor_program '-c' is not a supervisor program name"],
    [{ supervisor_conf: "../x.conf" }, "supervisor_conf '../x.conf' must be a path inside the release, or absolute"],
    [{ supervisor_target: "conf.d/app.conf" }, "supervisor_target 'conf.d/app.conf' must be the absolute path of a file"],
    [{ supervisor_check_timeout: -1 }, "config: 'supervisor_check_timeout' must be a number above 0, got number -1"],
    [{ supervisor_ctl: "" }, "supervisor_ctl is empty"],
  ])("rejects %j", (values, message) => {
    const error = thrown(() => readSettings({ ...config, ...values }));
    expect(error).toMatchObject({ code: "E_CONFIG", message });
  });
});

describe("confSource", () => {
  it.each([
    ["configs/web.conf", "/srv/www/app/releases/1/configs/web.conf"],
    ["/srv/www/app/current/configs/web.conf", "/srv/www/app/current/configs/web.conf"],
  ])("%s", (conf, expected) => {
    expect(confSource(conf, "/srv/www/app/releases/1")).toBe(expected);
  });
});
