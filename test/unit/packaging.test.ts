import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe("deployment files", () => {
  it("Dockerfile: multi-stage, builds, production deps only, non-root, HOST=0.0.0.0, health check on /ping", () => {
    const dockerfile = read("Dockerfile");
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/ping/);
    // The built-in form is read at run time; the image must carry it.
    expect(dockerfile).toContain("COPY .github/ISSUE_TEMPLATE/postmortem.yml");
  });

  it("npm start, the Dockerfile and the benchmark run the app with the same Node flags", async () => {
    const { APP_NODE_ARGS } = (await import("../../bench/apps.js" as string)) as { APP_NODE_ARGS: string[] };
    const start = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toBe(`node ${APP_NODE_ARGS.join(" ")} node_modules/probot/bin/probot.js run ./lib/index.js`);
    const cmd = /^CMD (\[.*\])$/m.exec(read("Dockerfile"))![1]!;
    expect(JSON.parse(cmd)).toEqual(["node", ...APP_NODE_ARGS, "node_modules/probot/bin/probot.js", "run", "./lib/index.js"]);
  });

  it("app.yml asks only for the permissions the features use", () => {
    const manifest = parse(read("app.yml")) as { default_permissions: Record<string, string>; default_events: string[] };
    expect(manifest.default_permissions).toEqual({ issues: "write", contents: "read", metadata: "read", members: "read", pull_requests: "write" });
    expect(manifest.default_events.sort()).toEqual(["issue_comment", "issues", "pull_request", "push"]);
  });

  it("the README's command table is the registry's help table, line for line", async () => {
    const { commandRegistry } = await import("../../src/features/command-registry.js");
    const { helpText } = await import("../../src/features/commands.js");
    const rows = helpText(commandRegistry({} as never, {} as never, {} as never)).split("\n").filter((l) => l.startsWith("| `"));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const readme = read("README.md");
    for (const row of rows) expect(readme).toContain(row);
  });

  it("the README documents every permission app.yml asks for", () => {
    const readme = read("README.md");
    const manifest = parse(read("app.yml")) as { default_permissions: Record<string, string> };
    for (const [name, level] of Object.entries(manifest.default_permissions)) expect(readme).toMatch(new RegExp(`\\| \`?${name}\`? \\| ${level} \\|`, "i"));
  });
});
