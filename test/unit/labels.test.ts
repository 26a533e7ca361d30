import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { applyLabels, LabelMaker, nextLabels } from "../../src/github/labels.js";

const API = "https://api.github.com";
const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });
const ref = { owner: "o", repo: "r", issue_number: 1 };
const SPECS = ["ready", "incomplete"].map((name) => ({ name, color: "ededed", description: name }));
type GraphqlBody = { query: string; variables: Record<string, unknown> };

describe("label changes", () => {
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("computes the next set case-insensitively, or null when nothing changes", () => {
    expect(nextLabels(["Postmortem", "incomplete"], ["READY"], ["Incomplete"])).toEqual(["Postmortem", "READY"]);
    expect(nextLabels(["postmortem", "ready"], ["Ready"], ["incomplete"])).toBeNull();
  });

  it("swaps labels in one GraphQL request when every node id is known", async () => {
    const maker = new LabelMaker();
    let sent: GraphqlBody | undefined;
    nock(API)
      .get("/repos/o/r/labels").query({ per_page: 100 }).reply(200, [{ name: "Ready", node_id: "LA_ready" }, { name: "incomplete", node_id: "LA_incomplete" }])
      .post("/graphql", (b: GraphqlBody) => ((sent = b), true)).reply(200, { data: { add: null, remove: null } });
    const client = octokit();
    await maker.ensure(client, 1, "o", "r", SPECS);
    const how = await applyLabels(client, { ref, nodeId: "I_1", labels: [{ name: "postmortem", node_id: "LA_pm" }, { name: "incomplete", node_id: "LA_incomplete" }] }, ["ready"], ["incomplete"], maker.idsFor(1, "O", "R"));
    expect(how).toBe("graphql");
    expect(sent?.variables).toEqual({ issue: "I_1", add: ["LA_ready"], remove: ["LA_incomplete"] });
  });

  it("falls back to one REST call per label when GitHub refuses an id, and forgets the ids it had", async () => {
    const maker = new LabelMaker();
    const client = octokit();
    nock(API)
      .get("/repos/o/r/labels").query({ per_page: 100 }).reply(200, [{ name: "ready", node_id: "LA_stale" }, { name: "incomplete", node_id: "LA_incomplete" }])
      .post("/graphql").reply(200, { data: { add: null, remove: null }, errors: [{ type: "NOT_FOUND", path: ["add"], message: "Could not resolve to a node with the global id of 'LA_stale'" }] })
      .post("/repos/o/r/issues/1/labels", { labels: ["ready"] }).reply(200, [])
      // Already removed by someone else: that is the state wanted.
      .delete("/repos/o/r/issues/1/labels/incomplete").reply(404, { message: "Label does not exist" });
    await maker.ensure(client, 1, "o", "r", SPECS);
    const issue = { ref, nodeId: "I_1", labels: [{ name: "incomplete", node_id: "LA_incomplete" }] };
    expect(await applyLabels(client, issue, ["ready"], ["incomplete"], maker.idsFor(1, "o", "r"))).toBe("rest");
    expect(maker.idsFor(1, "o", "r").of("ready")).toBeUndefined();
    // Forgotten, so the next ensure lists the labels again.
    nock(API).get("/repos/o/r/labels").query({ per_page: 100 }).reply(200, [{ name: "ready", node_id: "LA_ready" }, { name: "incomplete", node_id: "LA_incomplete" }]);
    await maker.ensure(client, 1, "o", "r", SPECS);
    expect(maker.idsFor(1, "o", "r").of("ready")).toBe("LA_ready");
  });

  it("uses REST when a node id is unknown, or when the change only adds or only removes", async () => {
    const client = octokit();
    nock(API)
      .post("/repos/o/r/issues/1/labels", { labels: ["ready"] }).reply(200, [])
      .delete("/repos/o/r/issues/1/labels/incomplete").reply(200, [])
      .post("/repos/o/r/issues/1/labels", { labels: ["ready"] }).reply(200, []);
    // The added label's id is not known (nothing listed on this replica).
    expect(await applyLabels(client, { ref, nodeId: "I_1", labels: [{ name: "incomplete", node_id: "LA_incomplete" }] }, ["ready"], ["incomplete"])).toBe("rest");
    // Only an addition: one REST call is as cheap as one GraphQL request.
    expect(await applyLabels(client, { ref, nodeId: "I_1", labels: [] }, ["ready"], ["incomplete"], { of: () => "LA_ready", stale: () => {} })).toBe("rest");
    expect(await applyLabels(client, { ref, labels: [{ name: "ready" }] }, ["ready"], ["incomplete"])).toBe("unchanged");
  });

  it("lets a server error through (the delivery is retried), without a REST fallback", async () => {
    const client = octokit();
    nock(API).post("/graphql").reply(502, "bad gateway");
    const issue = { ref, nodeId: "I_1", labels: [{ name: "incomplete", node_id: "LA_incomplete" }] };
    await expect(applyLabels(client, issue, ["ready"], ["incomplete"], { of: () => "LA_ready", stale: () => {} })).rejects.toMatchObject({ status: 502 });
  });

  it("keeps the node id of a label it creates", async () => {
    const maker = new LabelMaker();
    const client = octokit();
    nock(API)
      .get("/repos/o/r/labels").query({ per_page: 100 }).reply(200, [])
      .post("/repos/o/r/labels", { name: "ready", color: "ededed", description: "ready" }).reply(201, { name: "ready", node_id: "LA_new" })
      // Made meanwhile by someone else: no id known, so swaps fall back to REST.
      .post("/repos/o/r/labels", { name: "incomplete", color: "ededed", description: "incomplete" }).reply(422, { message: "Validation Failed" });
    await maker.ensure(client, 1, "o", "r", SPECS);
    expect(maker.idsFor(1, "o", "r").of("ready")).toBe("LA_new");
    expect(maker.idsFor(1, "o", "r").of("incomplete")).toBeUndefined();
  });
});
