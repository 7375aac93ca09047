import { defineConfig } from "vitest/config";

// The tests deploy to real SSH hosts started on this machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 60_000 } });
