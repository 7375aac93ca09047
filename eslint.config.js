// Lint: typescript-eslint's recommended rules everywhere, plus type-aware promise checks on
// TypeScript (a dropped promise in a deploy tool is a step that silently never finished).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/", "**/dist/", "**/coverage/", "bench/results/", ".fap-demo/", ".stryker-tmp/", "reports/", "**/*.d.ts",
      "test/fixtures/bad-config/", // configs broken on purpose, for the config-error tests
      "packages/create-fap-plugin/template/", // a separate package once scaffolded; its own deps are not installed here
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // `any` is used only in type-level matching (Hook<any, any>, `infer` positions), where `unknown` would not match.
      "@typescript-eslint/no-explicit-any": "off",
      // Matching control characters is the point: ANSI escapes in output, NUL and newlines in values we refuse.
      "no-control-regex": "off",
      // `interface ConfigValues extends ConfigValuesOf<typeof KEYS> {}` is how a plugin augments core's config type.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
    },
  },
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.ts", "examples/*/*.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    files: ["examples/webpack/webpack.config.js"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" }, // webpack's own config format
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" }, // CommonJS on purpose (bench/lib/probe.cjs: a cheap preload)
  },
);
