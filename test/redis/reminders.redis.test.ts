import { generateKeyPairSync, randomUUID } from "node:crypto";
import { ProbotOctokit, type Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcilePostmortem } from "../../src/features/postmortem.js";
import { sweepInstallation } from "../../src/features/reminders.js";
import { createRuntime } from "../../src/runtime/runtime.js";
import { createCoordinator, createMemoryCoordinator, type Coordinator } from "../../src/runtime/coordination.js";
import { startStandin, type Standin } from "../e2e/standin/server.js";
import { body, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";

/**
 * The reminder sweep against the stand-in, in-process: one reminder per
 * stalled draft and per overdue follow-up, never repeated, also when two
 * replicas sweep at once through the local Redis.
 */
const OWNER = "acme";
const REPO = "pm";
const DAY = 86_400_000;
let standin: Standin;
let octokit: InstanceType<typeof ProbotOctokit>;
let clock = Date.now();
const coordinators: Coordinator[] = [];

/** The app's runtime, without a Probot: the stand-in's bot login and a movable clock. */
function deps(coordinator: Coordinator) {
  return createRuntime({} as Probot, { coordinator, botLogin: async () => standin.botLogin, now: () => new Date(clock) });
}

beforeAll(async () => {
  const key = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
  standin = await startStandin({ appId: 77, publicKey: key.publicKey, webhooksEnabled: false, now: () => new Date(clock) });
  standin.addInstallation({ id: 3, account: OWNER });
  standin.addRepo({ owner: OWNER, name: REPO, installationId: 3, labels: [{ name: "postmortem" }], files: { ".github/postmortem.yml": TEAMS_CONFIG_TEXT } });
  octokit = new ProbotOctokit({ auth: { token: standin.createInstallationToken(3) }, baseUrl: standin.apiBase, retry: { enabled: false }, throttle: { enabled: false } });

  // Five days ago: an incomplete postmortem (the app wrote its status comment) and an overdue follow-up.
  clock = Date.now() - 5 * DAY;
  const draft = await standin.openIssue({ owner: OWNER, repo: REPO, title: "Draft", body: body("incomplete"), labels: ["postmortem"], user: "alice" });
  await reconcilePostmortem(octokit, deps(createMemoryCoordinator()), { installationId: 3, owner: OWNER, repo: REPO, issueNumber: draft.number });
  await octokit.rest.issues.create({
    owner: OWNER,
    repo: REPO,
    title: "Add an alert",
    labels: ["postmortem follow-up"],
    assignees: ["bob"],
    body: `Add an alert\n\n| | |\n| --- | --- |\n| Due | ${new Date(clock + DAY).toISOString().slice(0, 10)} |\n<!-- postmortem-bot:follow-up {"parent":"${OWNER}/${REPO}#${draft.number}","key":"k"} -->`,
  });
  clock = Date.now();
}, 30_000);

afterAll(async () => {
  await Promise.all(coordinators.map((c) => c.close()));
  await standin?.close();
});

const reminders = () =>
  standin
    .issues(OWNER, REPO)
    .flatMap((i) => standin.comments(OWNER, REPO, i.number))
    .filter((c) => c.body.includes("incomplete for") || c.body.includes("was due on"));

describe("reminder sweep", () => {
  it("reminds a stalled draft's author and an overdue follow-up's assignee once, and not again on the next sweep", async () => {
    const d = deps(createMemoryCoordinator());
    const first = await sweepInstallation(octokit, d, 3, [{ owner: OWNER, repo: REPO }]);
    expect(first).toMatchObject({ draftsReminded: 1, followUpsReminded: 1 });
    expect(reminders().map((c) => c.body.split(" ")[0])).toEqual(["@alice", "@bob"]);
    // A second sweep, also from a fresh process (nothing cached): the hidden state says it was sent.
    expect(await sweepInstallation(octokit, deps(createMemoryCoordinator()), 3, [{ owner: OWNER, repo: REPO }])).toMatchObject({ draftsReminded: 0, followUpsReminded: 0 });
    expect(reminders()).toHaveLength(2);
    // After repeat_days (7 by default) it is due again.
    clock = Date.now() + 8 * DAY;
    expect(await sweepInstallation(octokit, d, 3, [{ owner: OWNER, repo: REPO }])).toMatchObject({ draftsReminded: 1, followUpsReminded: 1 });
    expect(reminders()).toHaveLength(4);
  });

  it("sends exactly one reminder when two replicas sweep at the same time through Redis", async () => {
    clock = Date.now() + 20 * DAY;
    const prefix = `pmbot-test:${randomUUID()}:`;
    const [a, b] = await Promise.all([createCoordinator({ redisUrl: "redis://127.0.0.1:6379", prefix }), createCoordinator({ redisUrl: "redis://127.0.0.1:6379", prefix })]);
    coordinators.push(a!, b!);
    const sweep = (c: Coordinator) => c.runExclusive("reminders-sweep", 60_000, () => sweepInstallation(octokit, deps(c), 3, [{ owner: OWNER, repo: REPO }]));
    const before = reminders().length;
    const results = await Promise.all([sweep(a!), sweep(b!)]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(reminders().length - before).toBe(2);
  });
});
