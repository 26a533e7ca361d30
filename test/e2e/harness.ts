// Starts the real app process (Probot's CLI) against the GitHub stand-in.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startStandin, type Standin, type StandinOptions } from "./standin/server.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PROBOT_BIN = join(REPO_ROOT, "node_modules/probot/bin/probot.js");
export const DEFAULT_APP_PATH = join(REPO_ROOT, "lib/index.js");

export interface TestAppKey {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** SPKI PEM. */
  publicKey: string;
}

/** A fresh RSA 2048 key pair for the app, made at run time (never written to the repository). */
export function generateTestAppKey(): TestAppKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKey, publicKey };
}

/** `sha256=<hex>`: the X-Hub-Signature-256 value for this exact body. */
export function signWebhook(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
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

export interface StartAppOptions {
  standin: Standin;
  appId: number | string;
  privateKey: string;
  secret: string;
  /** Extra environment (wins over the defaults). A value of undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** The app module Probot loads. Default `<repo>/lib/index.js` (run `npm run build` first). */
  appPath?: string;
  /** How long to wait for GET /ping to answer PONG. Default 20 000 ms. */
  startTimeoutMs?: number;
}

export interface RunningApp {
  url: string;
  port: number;
  webhookUrl: string;
  process: ChildProcess;
  /** Everything the process printed so far. */
  stdout: () => string;
  stderr: () => string;
  /** Log lines of the process that parse as JSON (LOG_FORMAT=json by default). */
  logs: () => Array<Record<string, unknown>>;
  /** JSON log lines at level error (50) or above. */
  errorLogs: () => Array<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after 5 s; removes the temp working directory. */
  stop: () => Promise<void>;
}

// Only these variables are inherited; everything Probot reads is set explicitly.
const INHERITED_ENV = ["PATH", "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "LC_ALL", "TZ", "SYSTEMROOT"];

export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), "postmortem-bot-e2e-"));
  const env: Record<string, string> = {};
  for (const k of INHERITED_ENV) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  Object.assign(env, {
    APP_ID: String(options.appId),
    PRIVATE_KEY: options.privateKey,
    WEBHOOK_SECRET: options.secret,
    GHE_HOST: options.standin.host,
    GHE_PROTOCOL: "http",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: process.env.E2E_LOG_LEVEL || "warn",
    LOG_FORMAT: "json",
    NODE_ENV: "test",
  });
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const appPath = resolve(options.appPath ?? DEFAULT_APP_PATH);
  const child = spawn(process.execPath, [PROBOT_BIN, "run", appPath], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.once("exit", (code, signal) => resolveExit({ code, signal }));
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const url = `http://127.0.0.1:${port}`;
  const cleanup = (): void => {
    rmSync(cwd, { recursive: true, force: true });
  };
  const stop = async (): Promise<void> => {
    if (!hasExited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!hasExited) child.kill("SIGKILL");
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let lastError: string;
  for (;;) {
    if (hasExited) {
      const { code, signal } = await exited;
      cleanup();
      throw new Error(
        `app process exited before answering /ping (code ${code}, signal ${signal})\n--- stderr ---\n${err}\n--- stdout ---\n${out}`,
      );
    }
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
      const text = await res.text();
      if (res.ok && text.trim() === "PONG") break;
      lastError = `HTTP ${res.status}: ${text.slice(0, 200)}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `app did not answer GET ${url}/ping with PONG within ${options.startTimeoutMs ?? 20_000} ms (last: ${lastError})\n--- stderr ---\n${err}\n--- stdout ---\n${out}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const webhookUrl = `${url}/api/github/webhooks`;
  options.standin.setWebhookTarget(webhookUrl, options.secret);

  const logs = (): Array<Record<string, unknown>> =>
    out.split("\n").flatMap((line) => {
      if (!line.startsWith("{")) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

  return {
    url,
    port,
    webhookUrl,
    process: child,
    stdout: () => out,
    stderr: () => err,
    logs,
    errorLogs: () => logs().filter((l) => typeof l.level === "number" && l.level >= 50),
    exited,
    stop,
  };
}

export interface E2EStack {
  standin: Standin;
  app: RunningApp;
  key: TestAppKey;
  appId: number;
  secret: string;
  stop: () => Promise<void>;
}

/**
 * Convenience: key pair, stand-in (with `setup` run before the app starts),
 * and the app process wired to it.
 */
export async function startStack(
  opts: {
    appId?: number;
    secret?: string;
    appPath?: string;
    env?: Record<string, string | undefined>;
    standin?: Partial<Omit<StandinOptions, "appId" | "publicKey">>;
    setup?: (standin: Standin) => void | Promise<void>;
  } = {},
): Promise<E2EStack> {
  const key = generateTestAppKey();
  const appId = opts.appId ?? 424242;
  const secret = opts.secret ?? "e2e-webhook-secret";
  const standin = await startStandin({ ...opts.standin, appId, publicKey: key.publicKey });
  try {
    await opts.setup?.(standin);
    const app = await startApp({ standin, appId, privateKey: key.privateKey, secret, appPath: opts.appPath, env: opts.env });
    return {
      standin,
      app,
      key,
      appId,
      secret,
      stop: async () => {
        await app.stop();
        await standin.close();
      },
    };
  } catch (e) {
    await standin.close();
    throw e;
  }
}
