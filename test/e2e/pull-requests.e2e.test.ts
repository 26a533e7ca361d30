import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PULL_REQUEST_MARKER } from "../../src/postmortem/pull-requests.js";
import { postmortemBody } from "../helpers/postmortems.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * Incident-aware pull requests, end to end: a postmortem in acme/pm whose action item links
 * `services/payments/client.ts` (tracked as acme/backend#1, still open; #2 is done). Pull requests of
 * acme/backend (pull_requests.enabled) that touch it get one comment, kept in place and removed when
 * no longer relevant; acme/web has the feature off.
 */
const OWNER = "acme";
let stack: E2EStack;

const ITEMS = "- [ ] Time out calls in `services/payments/client.ts` — owner: @alice acme/backend#1\r\n- [x] Alert on pool saturation — owner: @bob acme/backend#2";

beforeAll(async () => {
  stack = await startStack({
    setup: async (standin) => {
      standin.addInstallation({ id: 41, account: OWNER });
      standin.addRepo({ owner: OWNER, name: "pm", private: true, installationId: 41, labels: [{ name: "postmortem" }] });
      standin.addRepo({ owner: OWNER, name: "backend", private: true, installationId: 41, files: { ".github/postmortem.yml": "pull_requests:\n  enabled: true\n" } });
      standin.addRepo({ owner: OWNER, name: "web", private: true, installationId: 41 });
      standin.webhooksEnabled = false;
      const body = postmortemBody({ severity: "SEV2", started: "2026-11-20T05:00:00Z", detected: "2026-11-20T05:12:00Z", mitigated: null, recovered: "2026-11-20T06:38:00Z" }).replace(
        /### Action items\r\n\r\n[\s\S]*?\r\n\r\n###/,
        `### Action items\r\n\r\n${ITEMS}\r\n\r\n###`,
      );
      await standin.openIssue({ owner: OWNER, repo: "pm", title: "Checkout connection pool exhausted", body, labels: ["postmortem"], user: "alice" });
      standin.webhooksEnabled = true;
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const prComments = (repo: string, number: number) => stack.standin.comments(OWNER, repo, number).filter((c) => c.body.startsWith(PULL_REQUEST_MARKER));

describe("incident-aware pull requests, end to end", () => {
  it("comments once on a pull request touching a postmortem's paths, keeps it in place, removes it when no longer relevant", async () => {
    const { standin, app } = stack;

    // 1. A pull request changing the linked file: one comment with the postmortem and its open follow-up here.
    let mark = standin.mark();
    const pr = await standin.openPullRequest({ owner: OWNER, repo: "backend", title: "Add client timeouts", files: ["services/payments/client.ts", "README.md"], user: "carol" });
    await settle(standin, [app]);
    let calls = standin.describeCalls(standin.apiCallsSince(mark));
    expect(calls.filter((c) => c.startsWith("GET /repos/{owner}/{repo}/pulls/{pull_number}/files"))).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}/files 200"]);
    expect(standin.callsSince(mark, { installationOnly: true, writesOnly: true }).map((c) => c.route)).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]);
    let comments = prComments("backend", pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(
      [
        PULL_REQUEST_MARKER,
        "### Postmortems related to this pull request",
        "",
        "This pull request changes code that a postmortem names. If one of their follow-ups belongs here, this is a good moment to do it.",
        "",
        "- [Checkout connection pool exhausted](https://github.com/acme/pm/issues/1) (`acme/pm#1`) — touches `services/payments/client.ts`",
        "  - Open follow-ups in this repository:",
        "    - acme/backend#1 `Time out calls in 'services/payments/client.ts'`",
        "",
        "<sub>Kept current by postmortem-bot as the pull request changes (only postmortems readers of this repository may see).</sub>",
      ].join("\n"),
    );

    // 2. New commits touching the same files: nothing to write.
    mark = standin.mark();
    await standin.pushToPullRequest(OWNER, "backend", pr.number, ["services/payments/client.ts", "README.md"], "carol");
    await settle(standin, [app]);
    expect(standin.callsSince(mark, { installationOnly: true, writesOnly: true })).toEqual([]);

    // 3. The change no longer touches it: the comment goes.
    await standin.pushToPullRequest(OWNER, "backend", pr.number, ["README.md"], "carol");
    await settle(standin, [app]);
    expect(prComments("backend", pr.number)).toEqual([]);

    // 4. From a fork: the comment goes on the base repository only (nothing is written anywhere else).
    mark = standin.mark();
    const fork = await standin.openPullRequest({ owner: OWNER, repo: "backend", title: "Fix from a fork", files: ["services/payments/client.ts"], headRepo: "mallory/backend", user: "mallory" });
    await settle(standin, [app]);
    expect(prComments("backend", fork.number)).toHaveLength(1);
    expect(standin.callsSince(mark, { installationOnly: true, writesOnly: true }).map((c) => `${c.route} ${c.path}`)).toEqual([
      `POST /repos/{owner}/{repo}/issues/{issue_number}/comments /repos/acme/backend/issues/${fork.number}/comments`,
    ]);

    // 5. A repository with the feature off: no comment, no file listing.
    mark = standin.mark();
    const off = await standin.openPullRequest({ owner: OWNER, repo: "web", title: "Touch payments", files: ["services/payments/client.ts"], user: "carol" });
    await settle(standin, [app]);
    calls = standin.describeCalls(standin.apiCallsSince(mark));
    expect(calls.filter((c) => c.includes("/pulls/") || c.startsWith("POST"))).toEqual([]);
    comments = standin.comments(OWNER, "web", off.number);
    expect(comments).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
    expect(standin.refused).toEqual([]);
  }, 120_000);
});
