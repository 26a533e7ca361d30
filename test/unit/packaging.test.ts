import { execFileSync, spawnSync } from "node:child_process";
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

describe("first run", () => {
  it("app.yml's manifest survives Probot's setup page: the single-quoted attribute parses back to the same JSON", async () => {
    const { ManifestCreation } = (await import(new URL("../../node_modules/probot/lib/manifest-creation.js", import.meta.url).href)) as { ManifestCreation: new () => { getManifest(o: object): string } };
    const { setupView } = (await import(new URL("../../node_modules/probot/lib/views/setup.js", import.meta.url).href)) as { setupView: (o: object) => string };
    const pkg = JSON.parse(read("package.json")) as { name: string; version: string; description: string };
    const manifest = new ManifestCreation().getManifest({ pkg, baseUrl: "http://localhost:3000", readFileSync: () => read("app.yml") });
    const page = setupView({ name: pkg.name, version: pkg.version, description: pkg.description, createAppUrl: "https://github.com/settings/apps/new", manifest });
    // What a browser submits: the attribute's text up to the next single quote, entities decoded.
    const attribute = /name="manifest" id="manifest" value='([^']*)'/.exec(page)![1]!;
    const submitted = attribute.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    expect(JSON.parse(submitted)).toEqual(JSON.parse(manifest));
    expect((JSON.parse(submitted) as { description: string }).description).toBe((parse(read("app.yml")) as { description: string }).description);
  });

  it("npm pack ships the compiled CLI (prepack builds it) and what it reads at run time", () => {
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepack).toBe("npm run build");
    // --ignore-scripts: `npm test` has just built lib/; the listing is what a clean clone packs after prepack.
    const listing = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: new URL("../..", import.meta.url), encoding: "utf8" })) as [{ files: { path: string }[] }];
    const paths = listing[0].files.map((f) => f.path);
    for (const path of ["lib/cli/index.js", "lib/index.js", "bin/postmortem-bot.js", "app.yml", ".github/ISSUE_TEMPLATE/postmortem.yml"]) expect(paths).toContain(path);
  });

  it("the packed CLI runs: bin/postmortem-bot.js lint checks a body with the built-in form", () => {
    const root = new URL("../..", import.meta.url);
    const run = spawnSync(process.execPath, ["bin/postmortem-bot.js", "lint", "test/fixtures/bodies/complete.md", "--config", "test/fixtures/configs/teams.yml", "--now", "2026-12-01T00:00:00Z", "--format", "json"], { cwd: root, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect((JSON.parse(run.stdout) as { valid: boolean }).valid).toBe(true);
  });

  it("every dependency that declares a newer Node than package.json's engines is one the README names, and runs on this Node", () => {
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(">=20.18.1");
    const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { engines?: { node?: string }; dev?: boolean }> };
    const newer = Object.entries(lock.packages)
      .filter(([path, p]) => path.startsWith("node_modules/") && !p.dev && /^>=\s*2[2-9]/.test(p.engines?.node ?? ""))
      .map(([path]) => path.replace(/^.*node_modules\//, ""));
    expect(newer).toEqual(["content-type"]);
    expect(read("README.md")).toContain("`content-type@3.1.1`");
  });
});
