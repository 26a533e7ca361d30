import { readFileSync } from "node:fs";
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, expect } from "vitest";
import { Probot, ProbotOctokit } from "probot";
import postmortemBot from "../../src/index.js";
import { createRuntime, type Runtime } from "../../src/runtime/runtime.js";

/** Throwaway key, made at run time for tests only. */
export const TEST_PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export const API = "https://api.github.com";
export const INSTALLATION_ID = 2;

export interface TestApp {
  probot: Probot;
  runtime: Runtime;
}

/** A Probot with the app loaded, throttling and retries off (unit tests count calls, not seconds). */
export function createTestApp(now = new Date("2026-11-27T00:00:00Z"), overrides: Partial<Runtime> = {}): TestApp {
  const probot = new Probot({
    appId: 1,
    privateKey: TEST_PRIVATE_KEY,
    logLevel: "fatal",
    // The function form runs after Probot's own defaults, which would otherwise turn throttling back on.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { enabled: false },
    })),
  });
  let runtime: Runtime | undefined;
  probot.load((app, options) => {
    // Similar past postmortems are off unless a test turns them on: their one-time index build
    // (GraphQL reads of the whole installation) would sit in every other test's exact calls.
    runtime = createRuntime(app, { now: () => now, similar: undefined, ...overrides });
    return postmortemBot(app, options, runtime);
  });
  return {
    probot,
    get runtime() {
      if (!runtime) throw new Error("app not loaded yet");
      return runtime;
    },
  };
}

/**
 * The app authentication a test begins with: an installation token, and the bot's
 * identity (read once, when the app first needs to recognise its own comments).
 */
export function mockAppAuth({ identity = true } = {}): nock.Scope {
  const scope = nock(API);
  if (identity) scope.get("/app").reply(200, { id: 1, slug: "postmortem-bot", name: "postmortem-bot" });
  return scope
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, { token: "ghs_test", permissions: { issues: "write", contents: "read", metadata: "read" } });
}

/** Setup and config reads of Codertocat/Hello-World on a cold cache: the given config, no form anywhere. */
export function mockSetupReads(scope: nock.Scope, configText: string, repoPath = "/repos/Codertocat/Hello-World", owner = "Codertocat"): nock.Scope {
  return scope
    .get(`${repoPath}/contents/.github%2Fpostmortem.yml`).reply(200, configText, { "content-type": "text/plain" })
    .get(`${repoPath}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
    .get(`/repos/${owner}/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404);
}

/** The English form this project ships, as a repository that copied it has it. */
export const ENGLISH_FORM_TEXT = readFileSync(new URL("../../.github/ISSUE_TEMPLATE/postmortem.yml", import.meta.url), "utf8");

/**
 * As mockSetupReads, for a repository that has the English form of its own: a
 * `language: ja` repository without one would be checked against the Japanese form.
 */
export function mockSetupReadsWithEnglishForm(scope: nock.Scope, configText: string, repoPath = "/repos/Codertocat/Hello-World"): nock.Scope {
  return scope
    .get(`${repoPath}/contents/.github%2Fpostmortem.yml`).reply(200, configText, { "content-type": "text/plain" })
    .get(`${repoPath}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(200, ENGLISH_FORM_TEXT, { "content-type": "text/plain" });
}

/**
 * Each test gets a fresh app and no network; it must leave no nock mock pending
 * (every expected call was made).
 */
export function useTestApp(onEach: () => void = () => {}): { app: TestApp } {
  const holder: { app?: TestApp } = {};
  beforeEach(() => {
    nock.disableNetConnect();
    holder.app = createTestApp();
    onEach();
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return {
    get app() {
      return holder.app!;
    },
    /** A second app instance mid-test: a fresh process, with nothing cached. */
    set app(next: TestApp) {
      holder.app = next;
    },
  };
}
