import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Files run in parallel. The e2e suites spend most of their time waiting on Probot's write
    // throttling (1 s per write, 3 s per created issue or comment), not on the CPU, so two at a
    // time overlap those waits on a 2-core machine; the tests count calls, never seconds.
    fileParallelism: true,
    maxWorkers: 2,
    env: { LOG_LEVEL: "fatal" },
  },
});
