import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { FapError } from "@fap/core";
import type { WebpackFunction } from "./_webpack-api.js";

/** The project's own webpack, as `npx webpack` in the project would find it. */
export async function loadWebpack(projectDir: string): Promise<WebpackFunction> {
  let resolved: string;
  try {
    resolved = createRequire(path.join(projectDir, "package.json")).resolve("webpack");
  } catch {
    throw new FapError("E_CONFIG", `webpack is not installed in ${projectDir}`, {
      hint: "npm install --save-dev webpack (in the project), or point webpack_project_dir at the project that has it",
    });
  }
  const module = (await import(pathToFileURL(resolved).href)) as { default?: unknown };
  const webpack = module.default ?? module;
  if (typeof webpack !== "function") {
    throw new FapError("E_CONFIG", `${resolved} is not webpack's Node API`, { hint: "webpack 5 is expected: npm install --save-dev webpack@5" });
  }
  return webpack as WebpackFunction;
}
