import webhookExamples from "@octokit/webhooks-examples";
import type { IssueCommentCreatedEvent } from "@octokit/webhooks-types";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { readState } from "../../src/postmortem/status.js";
import { INSTALLATION_ID, mockAppAuth, mockSetupReads, useTestApp } from "../helpers/app.js";
import { body as fixtureBody } from "../helpers/fixtures.js";

type Example = { name: string; examples: IssueCommentCreatedEvent[] };
const example = (webhookExamples as unknown as Example[]).find((e) => e.name === "issue_comment")!.examples.find((e) => e.action === "created")!;
const REPO_PATH = "/repos/Codertocat/Hello-World";
const COMMENT = example.comment.id;
const CONFIG = "timezone: Asia/Tokyo\nteams:\n  backend: { repo: Codertocat/backend }\n  sre: { repo: Codertocat/sre, handles: ['@acme/sre'] }\n";

function commented(body: string): IssueCommentCreatedEvent {
  const p = structuredClone(example) as IssueCommentCreatedEvent & { installation: object };
  p.installation = { id: INSTALLATION_ID, node_id: "x" };
  p.comment.body = body;
  p.sender = { ...p.sender, login: "alice", type: "User" };
  return p;
}

let n = 0;
const ctx = useTestApp();
const receive = (p: object) => ctx.app.probot.receive({ id: `l-${++n}`, name: "issue_comment", payload: p } as never);

function mockCommand(scope: nock.Scope, reactions: string[]): nock.Scope {
  return scope
    .get(`${REPO_PATH}/collaborators/alice/permission`).reply(200, { permission: "write", role_name: "write", user: { login: "alice" } })
    .post(`${REPO_PATH}/issues/comments/${COMMENT}/reactions`, (b: { content: string }) => (reactions.push(b.content), true)).times(2).reply(201, {});
}

describe("/postmortem level", () => {
  it("keeps the evaluated level with who, when and why, shows its rules, and labels it", async () => {
    const reactions: string[] = [];
    let status = "";
    const added: string[][] = [];
    // Declared SEV2 (review within 10 business days); evaluated SEV1: within 5 of Friday 2026-11-20 15:41 JST = Friday 2026-11-27.
    const scope = mockSetupReads(mockCommand(mockAppAuth(), reactions), CONFIG)
      .get(`${REPO_PATH}/issues/1`).reply(200, { number: 1, title: "t", body: fixtureBody("complete"), state: "open", labels: [{ name: "postmortem" }, { name: "postmortem: ready" }] })
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => ((status = b.body), true)).reply(201, { id: 5 })
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/labels`).times(9).reply(201, {})
      .post(`${REPO_PATH}/issues/1/labels`, (b: { labels: string[] }) => (added.push(b.labels), true)).reply(200, []);
    await receive(commented("/postmortem level sev1 checkout was down for @everyone"));
    expect(scope.isDone()).toBe(true);
    expect(reactions).toEqual(["eyes", "rocket"]);
    expect(added).toEqual([["evaluated: SEV1"]]);
    expect(status).toContain("#### Level: SEV1 (declared SEV2)");
    expect(status).toContain("Critical: a core service is down for customers, data is lost, or security is breached.");
    expect(status).toContain("Re-evaluated from SEV2 to SEV1 by `alice` on 2026-11-27: `checkout was down for @\u200beveryone`");
    expect(status).toContain("- [x] **Timeline** is written\n- [x] **Root causes** is written");
    expect(status).toContain("- Follow-ups without a `due:` date are due 20 business days after publishing");
    expect(status).toContain("- [ ] Review (publish) by 2026-11-27: 5 business days after recovery");
    expect(readState(status)?.levelEvaluation).toEqual({ level: "SEV1", by: "alice", at: "2026-11-27T00:00:00.000Z", reason: "checkout was down for @everyone" });
  });

  it("refuses an unknown level or a missing reason, writing nothing but the reply (permission and setup read once)", async () => {
    const reactions: string[] = [];
    const replies: string[] = [];
    mockSetupReads(mockCommand(mockAppAuth({ identity: false }), reactions), CONFIG)
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (replies.push(b.body), true)).times(2).reply(201, {})
      .post(`${REPO_PATH}/issues/comments/${COMMENT}/reactions`, (b: { content: string }) => (reactions.push(b.content), true)).times(2).reply(201, {});
    await receive(commented("/postmortem level SEV7 because"));
    await receive(commented("/postmortem level SEV2"));
    expect(reactions).toEqual(["eyes", "confused", "eyes", "confused"]);
    expect(replies).toEqual([
      "`SEV7` is not a level here. Use one of `SEV1`, `SEV2`, `SEV3`, `SEV4`.",
      "Say why the level changes: `/postmortem level <level> <reason>`. The reason is kept with the level.",
    ]);
  });
});
