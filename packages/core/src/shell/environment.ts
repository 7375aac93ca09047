import { FapError } from "../errors.js";
import { quote } from "./quote.js";
import { writePrivateFileCommand } from "./no-write-through.js";

/**
 * The `.env` text for the `environment` map: one `NAME=value` line each, values quoted as for
 * sh, so the file can be sourced and read by dotenv alike.
 */
export function environmentFile(environment: Readonly<Record<string, unknown>>): string {
  return Object.entries(environment)
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new FapError("E_CONFIG", `environment: '${name}' is not a variable name`, { hint: "use letters, digits and _, not starting with a digit" });
      }
      return `${name}=${quote(value === null || value === undefined ? "" : String(value))}\n`;
    })
    .join("");
}

/**
 * Writes stdin to `<release>/.env`, readable by the deploy user only: a new file renamed over
 * whatever the release holds there, so a `.env` of the repository (mode 0644) or a symlink
 * keeps neither its mode nor its target.
 */
export function writeEnvironmentCommand(releasePath: string): string {
  return writePrivateFileCommand(`${releasePath}/.env`);
}
