import { FapError } from "../errors.js";
import { isPlainObject } from "./interpolate.js";
import type { KeySpecs } from "./keys.js";
import { roleHosts } from "./host-entries.js";
import type { Layer } from "./layers.js";
import type { FapConfig } from "./types.js";
import { dictionary, own } from "./own.js";

/** One host of one stage.role: the unit every phase runs on. */
export interface Target {
  stage: string;
  role: string;
  host: string;
  /** The role's primary host (`primary: true`, else the role's first selected host). */
  primary: boolean;
  /** The host entry's `labels`. */
  labels: Readonly<Record<string, string>>;
  /** top, stage and role layers of the config, in precedence order. */
  layers: Layer[];
}

export interface Selection {
  stage?: string | undefined;
  role?: string | undefined;
  /** Only these hosts of the stage/role (`--hosts h1,h2`). */
  hosts?: readonly string[] | undefined;
  /** Not these (`--exclude-hosts h3`). */
  excludeHosts?: readonly string[] | undefined;
}

const STRUCTURE_KEYS = new Set(["plugins", "stage_role_configs", "tasks"]);
const NO_ROLE_HINT = "check the spelling, or pass -s STAGE alone to deploy every role of the stage";

/**
 * Fapistrano's rules: stage and role → that pair; stage only → every role of the stage; role
 * only → that role in every stage that has it; neither → an error that lists the stages.
 */
export function selectTargets(config: FapConfig, keys: KeySpecs, selection: Selection): Target[] {
  const stages = config.stage_role_configs ?? {};
  const stageNames = Object.keys(stages);
  if (stageNames.length === 0) {
    throw new FapError("E_CONFIG", "the config defines no stages", {
      hint: "add stage_role_configs: { production: { web: { hosts: [...] } } }",
    });
  }
  const { stage, role } = selection;
  if (stage === undefined && role === undefined) {
    throw new FapError("E_NO_STAGE", `no stage given; stages: ${stageNames.join(", ")}`, {
      hint: `pass -s STAGE, e.g. -s ${stageNames[0]}`,
    });
  }
  if (stage !== undefined && !Object.hasOwn(stages, stage)) {
    throw new FapError("E_NO_STAGE", `unknown stage '${stage}'; stages: ${stageNames.join(", ")}`, {
      hint: "check the spelling, or add the stage under stage_role_configs",
    });
  }

  const topLayer: Layer = { name: "top", label: "top level", values: topLevelValues(config) };
  const targets: Target[] = [];
  const roleNames = new Set<string>();
  for (const stageName of stage === undefined ? stageNames : [stage]) {
    const { stageValues, roles } = splitStage(stageName, own(stages, stageName), keys);
    if (stage !== undefined) checkStageRoles(stageName, Object.keys(roles), role);
    const stageLayer: Layer = { name: "stage", label: `stage ${stageName}`, values: stageValues };
    for (const [roleName, roleValues] of Object.entries(roles)) {
      roleNames.add(roleName);
      if (role !== undefined && roleName !== role) continue;
      const roleLayer: Layer = { name: "role", label: `role ${stageName}.${roleName}`, values: roleValues };
      const hosts = roleHosts(roleValues.hosts ?? stageValues.hosts ?? config.hosts, `stage_role_configs.${stageName}.${roleName}`);
      if (hosts.length === 0) {
        throw new FapError("E_CONFIG", `${stageName}.${roleName} has no hosts`, {
          hint: `add hosts: [...] to stage_role_configs.${stageName}.${roleName}`,
        });
      }
      for (const { host, primary, labels } of hosts) {
        targets.push({ stage: stageName, role: roleName, host, primary, labels, layers: [topLayer, stageLayer, roleLayer] });
      }
    }
  }
  if (targets.length === 0) {
    // Only a role was given (a selected stage without it is refused above), and no stage has it.
    throw new FapError("E_NO_ROLE", `no stage has a role '${String(role)}'; roles: ${[...roleNames].join(", ")}`, { hint: NO_ROLE_HINT });
  }
  return targets;
}

/** A selected stage must have roles, and the role asked for. */
function checkStageRoles(stage: string, roles: readonly string[], role: string | undefined): void {
  if (roles.length === 0) {
    throw new FapError("E_CONFIG", `stage '${stage}' has no roles`, {
      hint: `add a role to it: stage_role_configs: { ${stage}: { web: { hosts: [...] } } }`,
    });
  }
  if (role !== undefined && !roles.includes(role)) {
    throw new FapError("E_NO_ROLE", `unknown role '${role}' in stage '${stage}'; roles: ${roles.join(", ")}`, { hint: NO_ROLE_HINT });
  }
}

function topLevelValues(config: FapConfig): Record<string, unknown> {
  return Object.assign(dictionary<unknown>(), Object.fromEntries(Object.entries(config).filter(([key]) => !STRUCTURE_KEYS.has(key))));
}

function splitStage(stageName: string, stage: unknown, keys: KeySpecs) {
  if (!isPlainObject(stage)) {
    throw new FapError("E_CONFIG", `stage '${stageName}' must be a map of roles`, {
      hint: `write stage_role_configs: { ${stageName}: { web: { hosts: [...] } } }`,
    });
  }
  const stageValues = dictionary<unknown>();
  const roles = dictionary<Record<string, unknown>>();
  for (const [name, value] of Object.entries(stage)) {
    if (Object.hasOwn(keys, name)) stageValues[name] = value;
    else if (isPlainObject(value)) roles[name] = value;
    else {
      throw new FapError("E_CONFIG", `stage '${stageName}': '${name}' is neither a role (a map with hosts) nor a known key`, {
        hint: "roles are maps like web: { hosts: [...] }; check the key's spelling or load the plugin that reads it",
      });
    }
  }
  return { stageValues, roles };
}
