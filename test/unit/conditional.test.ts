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
