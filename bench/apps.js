// Starts Probot app processes (`probot run <app>`) against the stand-in, as
// test/e2e/harness.ts does: a temporary working directory (no .env leaks in),
// only a few inherited variables, GHE_HOST/GHE_PROTOCOL=http at the stand-in.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, sleep } from "./util.js";

export const PROBOT_BIN = join(REPO_ROOT, "node_modules/probot/bin/probot.js");
export const APP_PATH = join(REPO_ROOT, "lib/index.js");
/** Node flags the app runs with, as `npm start` and the Dockerfile start it (the floor app runs without). */
export const APP_NODE_ARGS = ["--max-semi-space-size=2", "--heap-growing-percent=10"];

/** The floor: a minimal Probot app that makes exactly one API read per `issues` event. */
export const FLOOR_APP_SOURCE = `// Written by bench/apps.js: the floor app of the webhook benchmark.
export default (app) => {
  app.on("issues", async (context) => {
    await context.octokit.rest.issues.get(context.issue());
  });
};
`;

export function writeFloorApp(dir) {
  const path = join(dir, "floor-app.mjs");
  writeFileSync(path, FLOOR_APP_SOURCE);
  return path;
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

// Children still running when this process exits (normally or on an error) are killed by pid.
const running = new Set();
process.on("exit", () => {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
});

const INHERITED_ENV = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ"];

/**
 * @param {{ name: string, standin: any, appId: number, privateKey: string, secret: string,
 *           appPath: string, nodeArgs?: string[], env?: Record<string,string>, logLevel?: string }} o
 */
export async function startAppProcess(o) {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), `postmortem-bench-${o.name}-`));
  const env = {};
  for (const k of INHERITED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k];
  Object.assign(env, {
    APP_ID: String(o.appId),
    PRIVATE_KEY: o.privateKey,
    WEBHOOK_SECRET: o.secret,
    GHE_HOST: o.standin.host,
    GHE_PROTOCOL: "http",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: o.logLevel ?? "warn",
    LOG_FORMAT: "json",
    NODE_ENV: "production",
    ...(o.env ?? {}),
  });
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), PROBOT_BIN, "run", o.appPath], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  let err = "";
  // Keep only the tail: a long load run must not grow the driver's memory.
  child.stdout.setEncoding("utf8").on("data", (d) => {
    out = (out + d).slice(-200_000);
  });
  child.stderr.setEncoding("utf8").on("data", (d) => {
    err = (err + d).slice(-200_000);
  });
  let exitInfo = null;
  const exited = new Promise((resolveExit) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      exitInfo = { code, signal };
      resolveExit(exitInfo);
    });
  });

  const stop = async (signal = "SIGTERM") => {
    if (!exitInfo) {
      child.kill(signal);
      const timer = setTimeout(() => {
        if (!exitInfo) child.kill("SIGKILL");
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(cwd, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let last;
  for (;;) {
    if (exitInfo) {
      rmSync(cwd, { recursive: true, force: true });
      throw new Error(`${o.name}: exited before answering /ping (${JSON.stringify(exitInfo)})\n${err}\n${out}`);
    }
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
      const text = await res.text();
      if (res.ok && text.trim() === "PONG") break;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`${o.name}: no PONG within 30 s (${last})\n${err}\n${out}`);
    }
    await sleep(100);
  }

  const logs = () =>
    out.split("\n").flatMap((line) => {
      if (!line.startsWith("{")) return [];
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });

  return {
    name: o.name,
    pid: child.pid,
    url,
    webhookUrl: `${url}/api/github/webhooks`,
    cwd,
    process: child,
    exited,
    stop,
    stdout: () => out,
    stderr: () => err,
    errorLogs: () => logs().filter((l) => typeof l.level === "number" && l.level >= 50),
    warnLogs: () => logs().filter((l) => typeof l.level === "number" && l.level >= 40),
  };
}
