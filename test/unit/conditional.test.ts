import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { ConditionalRequests } from "../../src/github/conditional.js";

const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });

describe("conditional requests", () => {
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it("sends the ETag back and serves a 304 from what it kept", async () => {
    const conditional = new ConditionalRequests();
    const client = octokit();
    conditional.install(client, "1");
    conditional.install(client, "1"); // once per client
    nock("https://api.github.com")
      .get("/repos/o/r/issues/1").reply(200, { number: 1, title: "first" }, { etag: 'W/"abc"' })
      .get("/repos/o/r/issues/1").matchHeader("if-none-match", 'W/"abc"').reply(304)
      .get("/repos/o/r/issues/1").matchHeader("if-none-match", 'W/"abc"').reply(200, { number: 1, title: "changed" }, { etag: 'W/"def"' });
    expect((await client.rest.issues.get({ owner: "o", repo: "r", issue_number: 1 })).data.title).toBe("first");
    expect((await client.rest.issues.get({ owner: "o", repo: "r", issue_number: 1 })).data.title).toBe("first");
    expect((await client.rest.issues.get({ owner: "o", repo: "r", issue_number: 1 })).data.title).toBe("changed");
  });

  it("serves a namespaced list from a 304 as the 200 was, through paginate (which rewrites the answer in place)", async () => {
    const conditional = new ConditionalRequests();
    const client = octokit();
    conditional.install(client, "1");
    const page = { total_count: 1, repository_selection: "all", repositories: [{ name: "pm", owner: { login: "acme" } }] };
    nock("https://api.github.com")
      .get("/installation/repositories").query({ per_page: 100 }).reply(200, page, { etag: 'W/"r1"' })
      .get("/installation/repositories").query({ per_page: 100 }).matchHeader("if-none-match", 'W/"r1"').reply(304);
    const list = () => client.paginate(client.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    expect((await list()).map((r) => r.owner.login)).toEqual(["acme"]);
    expect((await list()).map((r) => r.owner.login)).toEqual(["acme"]);
  });

  it("keeps installations and media types apart, and leaves writes alone", async () => {
    const conditional = new ConditionalRequests();
    const a = octokit();
    const b = octokit();
    conditional.install(a, "1");
    conditional.install(b, "2");
    nock("https://api.github.com")
      .get("/repos/o/r/contents/x.yml").reply(200, "raw text", { etag: '"e1"', "content-type": "text/plain" })
      .get("/repos/o/r/contents/x.yml").matchHeader("if-none-match", (v) => v === undefined).reply(200, "raw text", { etag: '"e1"', "content-type": "text/plain" })
      .patch("/repos/o/r/issues/1").matchHeader("if-none-match", (v) => v === undefined).reply(200, {});
    await a.rest.repos.getContent({ owner: "o", repo: "r", path: "x.yml", mediaType: { format: "raw" } });
    await b.rest.repos.getContent({ owner: "o", repo: "r", path: "x.yml", mediaType: { format: "raw" } });
    await a.rest.issues.update({ owner: "o", repo: "r", issue_number: 1, title: "t" });
  });
});
