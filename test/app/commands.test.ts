import webhookExamples from "@octokit/webhooks-examples";
import type { IssueCommentCreatedEvent } from "@octokit/webhooks-types";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { API, INSTALLATION_ID, mockAppAuth, useTestApp } from "../helpers/app.js";
import { body as fixtureBody } from "../helpers/fixtures.js";

type Example = { name: string; examples: IssueCommentCreatedEvent[] };
const example = (webhookExamples as unknown as Example[]).find((e) => e.name === "issue_comment")!.examples.find((e) => e.action === "created")!;

const REPO_PATH = "/repos/Codertocat/Hello-World";
const COMMENT = example.comment.id;

function commented(body: string, sender = "alice"): IssueCommentCreatedEvent {
  const p = structuredClone(example) as IssueCommentCreatedEvent & { installation: object };
  p.installation = { id: INSTALLATION_ID, node_id: "x" };
  p.comment.body = body;
  p.sender = { ...p.sender, login: sender, type: "User" };
  return p;
}

let n = 0;
const receive = (p: object) => ctx.app.probot.receive({ id: `c-${++n}`, name: "issue_comment", payload: p } as never);

function mockPermission(scope: nock.Scope, user: string, role: string): nock.Scope {
  return scope.get(`${REPO_PATH}/collaborators/${user}/permission`).reply(200, { permission: role === "triage" ? "read" : role, role_name: role, user: { login: user } });
}

/** The setup reads of a repository without config or form (a cold cache): commands read the setup before the permission check. */
function mockNoSetup(scope: nock.Scope): nock.Scope {
  return scope
    .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(404)
    .get("/repos/Codertocat/.github/contents/.github%2Fpostmortem.yml").reply(404)
    .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
    .get("/repos/Codertocat/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml").reply(404);
}

const reactions: string[] = [];
const replies: string[] = [];
function mockReactions(scope: nock.Scope, times: number): nock.Scope {
  return scope.post(`${REPO_PATH}/issues/comments/${COMMENT}/reactions`, (b: { content: string }) => (reactions.push(b.content), true)).times(times).reply(201, {});
}
function mockReply(scope: nock.Scope): nock.Scope {
  return scope.post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => (replies.push(b.body), true)).reply(201, { id: 99 });
}

const ctx = useTestApp(() => {
  reactions.length = 0;
  replies.length = 0;
});

describe("/postmortem commands", () => {
  it("refuses someone without triage permission once, politely, with 👀 then 😕", async () => {
    mockReply(mockPermission(mockNoSetup(mockReactions(mockAppAuth({ identity: false }), 2)), "alice", "read"));
    await receive(commented("/postmortem publish"));
    expect(reactions).toEqual(["eyes", "confused"]);
    expect(replies).toEqual(["Sorry, only people with triage permission or more on this repository can run `/postmortem` commands."]);
  });

  it("answers an unknown command with the help text", async () => {
    mockReply(mockPermission(mockNoSetup(mockReactions(mockAppAuth({ identity: false }), 2)), "alice", "triage"));
    await receive(commented("/postmortem frobnicate"));
    expect(reactions).toEqual(["eyes", "confused"]);
    expect(replies[0]).toContain("`/postmortem frobnicate` is not a command.");
    expect(replies[0]).toContain("| `/postmortem publish` |");
  });

  it("echoes an unknown command without mentioning anyone or leaving its code span", async () => {
    mockReply(mockPermission(mockNoSetup(mockReactions(mockAppAuth({ identity: false }), 2)), "alice", "triage"));
    await receive(commented("/postmortem @acme/sre`<!--"));
    expect(replies[0]).toMatch(/^`\/postmortem @\u200bacme\/sre'<!--` is not a command\./);
  });

  it("runs the check on request and acknowledges with 👀 then 🚀", async () => {
    const scope = mockPermission(mockReactions(mockAppAuth(), 2), "alice", "maintain")
      .get(`${REPO_PATH}/issues/1`).reply(200, { number: 1, title: "t", body: fixtureBody("incomplete"), state: "open", labels: [{ name: "postmortem" }, { name: "postmortem: incomplete" }] })
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(404)
      .get("/repos/Codertocat/.github/contents/.github%2Fpostmortem.yml").reply(404)
      .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
      .get("/repos/Codertocat/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml").reply(404)
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/issues/1/comments`, (b: { body: string }) => b.body.includes("problems to fix")).reply(201, { id: 5 });
    await receive(commented("Could you look again?\n/postmortem check"));
    expect(scope.isDone()).toBe(true);
    expect(reactions).toEqual(["eyes", "rocket"]);
  });

  it("publishes by command when the config says so, and files the items", async () => {
    const config = "follow_ups: { publish_on: command }\nteams:\n  backend: { repo: Codertocat/backend }\n  sre: { repo: Codertocat/sre, handles: ['@acme/sre'] }\n";
    const body = fixtureBody("complete").replace(/- \[ \] Route payment[^\n]*\n/, "");
    const created: string[] = [];
    mockPermission(mockReactions(mockAppAuth(), 2), "alice", "admin")
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(200, config, { "content-type": "text/plain" })
      .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
      .get("/repos/Codertocat/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml").reply(404)
      .get(`${REPO_PATH}/issues/1`).times(2).reply(200, { number: 1, title: "t", body, state: "open", labels: [{ name: "postmortem" }, { name: "postmortem: ready" }] })
      .get(`${REPO_PATH}/issues/1/comments`).query({ per_page: 100 }).reply(200, [])
      .get(REPO_PATH).reply(200, { private: false })
      .get("/repos/Codertocat/backend").reply(200, { private: false })
      .get("/repos/Codertocat/sre").reply(200, { private: false })
      .post(`${REPO_PATH}/issues/1/comments`).reply(201, { id: 5 })
      .post(/\/repos\/Codertocat\/(backend|sre)\/issues/, (b: { title: string }) => (created.push(b.title), true)).times(2).reply(201, { number: 3 })
      .patch(`${REPO_PATH}/issues/comments/5`).times(2).reply(200, {})
      .get(`${REPO_PATH}/labels`).query({ per_page: 100 }).reply(200, [])
      .post(`${REPO_PATH}/labels`).times(8).reply(201, {})
      .patch(`${REPO_PATH}/issues/1`, (b: { body: string }) => b.body.includes("Codertocat/backend#3")).reply(200, {})
      .post(`${REPO_PATH}/issues/1/labels`, { labels: ["postmortem: published"] }).reply(200, []);
    await receive(commented("/postmortem publish"));
    expect(created).toHaveLength(2);
    expect(reactions).toEqual(["eyes", "rocket"]);
  });

  it("explains that this repository publishes by label", async () => {
    mockReply(mockPermission(mockReactions(mockAppAuth({ identity: false }), 2), "alice", "write"))
      .get(`${REPO_PATH}/contents/.github%2Fpostmortem.yml`).reply(404)
      .get("/repos/Codertocat/.github/contents/.github%2Fpostmortem.yml").reply(404)
      .get(`${REPO_PATH}/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml`).reply(404)
      .get("/repos/Codertocat/.github/contents/.github%2FISSUE_TEMPLATE%2Fpostmortem.yml").reply(404);
    await receive(commented("/postmortem publish"));
    expect(replies[0]).toContain("by adding the `postmortem: published` label");
    expect(reactions).toEqual(["eyes", "confused"]);
  });

  it("does nothing for commands in code, quotes or the middle of a sentence", async () => {
    await receive(commented("```\n/postmortem publish\n```\n> /postmortem publish\nI will /postmortem publish later"));
  });

  it("ignores its own comments", async () => {
    nock(API).get("/app").reply(200, { slug: "postmortem-bot" });
    const own = commented("/postmortem help");
    own.sender = { ...own.sender, login: "postmortem-bot[bot]", type: "Bot" };
    await receive(own);
  });
});
