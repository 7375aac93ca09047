import { defineConfig } from "vitest/config";

// Each test deploys to real SSH hosts.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
