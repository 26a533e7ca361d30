import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // e2e suites spawn real app processes; keep them from competing for the 2 cores.
    fileParallelism: true,
    env: { LOG_LEVEL: "fatal" },
  },
});
