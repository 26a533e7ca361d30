import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { remindReviews } from "../../src/features/review-reminders.js";
import { StatusComments } from "../../src/github/status-comment.js";
import { STATUS_MARKER, writeState } from "../../src/postmortem/status.js";
import { createMemoryCoordinator } from "../../src/runtime/coordination.js";
import { API } from "../helpers/app.js";
import { body } from "../helpers/fixtures.js";

const BOT = "postmortem-bot[bot]";
const REPO = { owner: "acme", repo: "pm" };
const PATH = "/repos/acme/pm";
const setup = { config: defaultConfig, form: defaultForm(), sources: [] };
// Declared SEV2, recovered Friday 2026-11-20 15:41 JST (06:41Z): SEV2 reviews within 10 business days (2026-12-04),
// SEV1 within 5 (2026-11-27), the soonest any level gives.
const NOW = new Date("2026-12-01T00:00:00Z");

const issue = (number: number, extra: { body?: string; labels?: string[]; assignees?: string[] } = {}) => ({
  number,
  title: `pm ${number}`,
  body: extra.body ?? body("complete"),
  state: "open",
  user: { login: "alice" },
  assignees: (extra.assignees ?? []).map((login) => ({ login })),
  labels: ["postmortem", ...(extra.labels ?? [])].map((name) => ({ name })),
});
const status = (id: number, state: Record<string, unknown>) => [{ id, user: { login: BOT }, body: `${STATUS_MARKER}\n### Postmortem check: ✅ ready\n\n${writeState({ v: 1, status: "ready", ...state })}` }];
const evaluatedSev1 = { levelEvaluation: { level: "SEV1", by: "carol", at: "2026-11-21T00:00:00Z", reason: "payments were down" } };

describe("review reminders", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("remind a postmortem past its level's review deadline once, reading status comments only past the soonest deadline", async () => {
    const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
    const comments = new StatusComments(async () => BOT, createMemoryCoordinator());
    const reminders: string[] = [];
    let recorded = "";
    const list = [
      issue(1), // SEV2: due 2026-12-04, not yet
      issue(2, { assignees: ["bob"] }), // evaluated SEV1: due 2026-11-27, past
      issue(3, { labels: ["postmortem: published"] }), // reviewed
      issue(4, { body: body("complete").replace("2026-11-20 15:41 JST", "2026-11-30 15:41 JST") }), // recovered yesterday
    ];
    nock(API)
      .get(`${PATH}/issues`).query({ labels: "postmortem", state: "open", per_page: 100 }).times(2).reply(200, list)
      .get(`${PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, status(11, {}))
      .get(`${PATH}/issues/2/comments`).query({ per_page: 100 }).reply(200, status(12, evaluatedSev1))
      .patch(`${PATH}/issues/comments/12`, (b: { body: string }) => ((recorded = b.body), true)).reply(200, {})
      .post(`${PATH}/issues/2/comments`, (b: { body: string }) => (reminders.push(b.body), true)).reply(201, { id: 99 });

    expect(await remindReviews(octokit, { comments }, 3, REPO, setup, NOW)).toBe(1);
    expect(reminders).toEqual(["@bob this postmortem was to be reviewed and published by 2026-11-27. Could you hold the review? I will not remind you again for 7 days."]);
    expect(recorded).toContain('"reminders":{"review":"2026-12-01T00:00:00.000Z"}');
    // The next sweep, the same day: recorded, so not again (and the status comments come from the cache).
    expect(await remindReviews(octokit, { comments }, 3, REPO, setup, NOW)).toBe(0);
  });

  it("cost nothing where no level sets a review deadline", async () => {
    const octokit = new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
    const config = { ...defaultConfig, levels: [{ name: "SEV1", definition: "x", required_fields: [] }] };
    expect(await remindReviews(octokit, { comments: new StatusComments(async () => BOT, createMemoryCoordinator()) }, 3, REPO, { ...setup, config }, NOW)).toBe(0);
  });
});
