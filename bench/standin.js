// Compiles the e2e GitHub stand-in (test/e2e/standin/*.ts) into a temporary
// directory with tsc and imports it, so the benchmark runs on plain Node 20.
// The temp directory gets {"type":"module"} and a node_modules symlink so the
// stand-in's `import "probot"` resolves to this repository's dependencies.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { log, REPO_ROOT } from "./util.js";

export async function loadStandin() {
  const dir = mkdtempSync(join(tmpdir(), "postmortem-bench-standin-"));
  const srcDir = join(REPO_ROOT, "test/e2e/standin");
  const files = readdirSync(srcDir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(srcDir, f));
  const outDir = join(dir, "standin");
  const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  const args = [
    tsc,
    "--outDir", outDir,
    "--rootDir", srcDir,
    "--module", "NodeNext",
    "--moduleResolution", "NodeNext",
    "--target", "ES2022",
    "--lib", "ES2023",
    "--types", "node",
    "--strict",
    "--skipLibCheck",
    "--esModuleInterop",
    "--resolveJsonModule",
    "--declaration", "false",
    "--sourceMap", "false",
    "--noEmitOnError", "false",
    ...files,
  ];
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8" });
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const serverJs = join(outDir, "server.js");
  if (!existsSync(serverJs)) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not compile the stand-in (tsc exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  if (result.status !== 0) {
    log(`warning: tsc reported errors compiling the stand-in (emitted anyway):\n${result.stdout.slice(0, 2000)}`);
  }
  const mod = await import(pathToFileURL(serverJs).href);
  return {
    startStandin: mod.startStandin,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
