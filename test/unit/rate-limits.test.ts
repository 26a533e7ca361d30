import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { installRateLimitRetry, retryAfterSeconds } from "../../src/github/rate-limits.js";

const error = (status: number, headers: Record<string, string> = {}, data: unknown = {}) => ({ status, response: { headers, data } });

describe("retryAfterSeconds", () => {
  it.each([
    [error(403, { "retry-after": "3" }), 3],
    [error(429, { "retry-after": "0" }), 0],
    [error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1010" }), 10],
    [error(403, {}, { message: "You have exceeded a secondary rate limit" }), 60],
    [error(429), 60],
    [error(403, {}, { message: "Resource not accessible by integration" }), null],
    [error(404, { "retry-after": "3" }), null],
    [error(500), null],
    [null, null],
  ])("reads %j as %s", (e, expected) => {
    expect(retryAfterSeconds(e, 1_000_000)).toBe(expected);
  });
});

describe("installRateLimitRetry", () => {
  afterEach(() => {
    nock.cleanAll();
  });

  const octokit = () => new ProbotOctokit({ auth: { token: "t" }, retry: { enabled: false }, throttle: { enabled: false } });

  it("waits as told after a secondary rate limit, then succeeds", async () => {
    const waits: number[] = [];
    const client = octokit();
    installRateLimitRetry(client, { sleep: async (ms) => void waits.push(ms) });
    installRateLimitRetry(client, { sleep: async (ms) => void waits.push(ms) }); // idempotent
    const scope = nock("https://api.github.com")
      .post("/repos/o/r/issues").reply(403, { message: "You have exceeded a secondary rate limit" }, { "retry-after": "2" })
      .post("/repos/o/r/issues").reply(201, { number: 1 });
    const { data } = await client.rest.issues.create({ owner: "o", repo: "r", title: "t" });
    expect(data.number).toBe(1);
    expect(waits).toEqual([2000]);
    expect(scope.isDone()).toBe(true);
  });

  it("gives up after its retries, and never sleeps through a long primary reset", async () => {
    const client = octokit();
    installRateLimitRetry(client, { maxRetries: 2, sleep: async () => {} });
    nock("https://api.github.com").post("/repos/o/r/issues").times(3).reply(429, {}, { "retry-after": "1" });
    await expect(client.rest.issues.create({ owner: "o", repo: "r", title: "t" })).rejects.toMatchObject({ status: 429 });

    const waits: number[] = [];
    const other = octokit();
    installRateLimitRetry(other, { sleep: async (ms) => void waits.push(ms) });
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    nock("https://api.github.com").post("/repos/o/r/issues").reply(403, {}, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });
    await expect(other.rest.issues.create({ owner: "o", repo: "r", title: "t" })).rejects.toMatchObject({ status: 403 });
    expect(waits).toEqual([]);
  });

  it("does not retry other errors", async () => {
    const client = octokit();
    installRateLimitRetry(client, { sleep: async () => {} });
    nock("https://api.github.com").post("/repos/o/r/issues").reply(422, { message: "Validation Failed" });
    await expect(client.rest.issues.create({ owner: "o", repo: "r", title: "t" })).rejects.toMatchObject({ status: 422 });
  });
});
