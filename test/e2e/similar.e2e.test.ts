import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readState, STATUS_MARKER } from "../../src/postmortem/status.js";
import { postmortemBody, type BodyFields } from "../helpers/postmortems.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * Similar past postmortems, end to end: earlier postmortems are seeded quietly (no webhooks, a clock
 * in October), then new ones become ready. The private repositories acme/pm and acme/secret hold
 * postmortems identical to a new one in the public acme/open: they must never be suggested there.
 */
const OWNER = "acme";
let stack: E2EStack;
let clock: Date | null = new Date("2026-10-01T00:00:00Z");

const times = { severity: "SEV2", started: "2026-11-20T05:00:00Z", detected: "2026-11-20T05:12:00Z", mitigated: null, recovered: "2026-11-20T06:38:00Z" } satisfies Partial<BodyFields>;
const pm = (fields: Pick<BodyFields, "summary" | "rootCauses" | "trigger">) => postmortemBody({ ...times, ...fields });

const POOL_CAUSES = "The payments service shared one connection pool and set no timeout; under load every connection stayed busy.";

beforeAll(async () => {
  stack = await startStack({
    standin: { now: () => clock ?? new Date() },
    setup: async (standin) => {
      standin.addInstallation({ id: 21, account: OWNER });
      for (const [name, isPrivate] of [["pm", true], ["secret", true], ["open", false]] as const) {
        standin.addRepo({ owner: OWNER, name, private: isPrivate, installationId: 21, labels: [{ name: "postmortem" }] });
      }
      standin.webhooksEnabled = false;
      const seed = async (repo: string, title: string, text: string) => {
        clock = new Date(clock!.getTime() + 24 * 60 * 60 * 1000);
        await standin.openIssue({ owner: OWNER, repo, title, body: text, labels: ["postmortem"], user: "alice" });
      };
      await seed("pm", "Checkout connection pool exhausted", pm({ summary: "Checkout failed for a third of learners.", rootCauses: POOL_CAUSES, trigger: "A campaign email." }));
      await seed("pm", "Search disk full", pm({ summary: "Course search returned errors.", rootCauses: "A search data node ran out of disk and its shards went read-only.", trigger: "Nightly reindexing." }));
      await seed("pm", "決済APIの接続プール枯渇", pm({ summary: "決済に失敗しました。", rootCauses: "決済サービスの接続プールが枯渇し、タイムアウトが多発しました。", trigger: "キャンペーンメール" }));
      await seed("secret", "Checkout connection pool exhausted", pm({ summary: "Checkout failed for a third of learners.", rootCauses: POOL_CAUSES, trigger: "A campaign email." }));
      await seed("open", "Payments connection pool saturated", pm({ summary: "Public API payments were slow.", rootCauses: "The connection pool of the payments service saturated and requests hit the timeout.", trigger: "A partner's batch job." }));
      standin.webhooksEnabled = true;
      clock = null;
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const statusOf = (number: number) => stack.standin.comments(OWNER, "pm", number).find((c) => c.body.startsWith(STATUS_MARKER))!;

describe("similar past postmortems, end to end", () => {
  it("lists the earlier ones on the transition to ready (never a private repository's in a public one), in Japanese too, and costs nothing more later", async () => {
    const { standin, app } = stack;

    // 1. A new English postmortem about the pool becomes ready: the index is built (one repository
    // list, one request for configs, one for the issues of all three repositories, one for forms).
    let mark = standin.mark();
    const english = await standin.openIssue({
      owner: OWNER,
      repo: "pm",
      title: "Checkout connection pool exhausted again",
      body: pm({ summary: "Checkout failed for a third of learners.", rootCauses: POOL_CAUSES, trigger: "A campaign email." }),
      labels: ["postmortem"],
      user: "bob",
    });
    await settle(standin, [app]);
    const built = standin.describeCalls(standin.apiCallsSince(mark));
    expect(built.filter((c) => c.startsWith("GET /installation/repositories") || c.startsWith("POST /graphql"))).toEqual([
      "GET /installation/repositories 200",
      "POST /graphql 200",
      "POST /graphql 200",
      "POST /graphql 200",
    ]);
    let comment = statusOf(english.number).body;
    const items = (readState(comment)!.similar as { items: Array<{ ref: string }> }).items.map((i) => i.ref);
    // From a private repository: #1 of acme/pm, the private acme/secret#1 and the public acme/open#1 (all share the
    // pool's words); the disk and the Japanese postmortems share no two words with it.
    expect(items.sort()).toEqual(["acme/open#1", "acme/pm#1", "acme/secret#1"]);
    expect(comment).toContain("#### Similar past postmortems");
    expect(comment).toContain("- [Checkout connection pool exhausted](https://github.com/acme/pm/issues/1) (`acme/pm#1`) — similar words: `checkout`, `connection`, `pool`");

    // 2. A Japanese one: the index is warm, so no more reads than any first check; the Japanese postmortem is found.
    mark = standin.mark();
    const japanese = await standin.openIssue({
      owner: OWNER,
      repo: "pm",
      title: "決済の接続プールが再び枯渇",
      body: pm({ summary: "決済が遅延しました。", rootCauses: "キャンペーンで決済が急増し、接続プールが足りなくなりました。", trigger: "キャンペーン" }),
      labels: ["postmortem"],
      user: "bob",
    });
    await settle(standin, [app]);
    const warm = standin.describeCalls(standin.apiCallsSince(mark));
    expect(warm.filter((c) => c.startsWith("GET /installation/repositories") || c.startsWith("POST /graphql"))).toEqual([]);
    comment = statusOf(japanese.number).body;
    expect((readState(comment)!.similar as { items: Array<{ ref: string }> }).items.map((i) => i.ref)).toEqual(["acme/pm#3"]);
    expect(comment).toContain("(`acme/pm#3`) — similar words: `決済`, `接続`, `プール`, `枯渇`");

    // 3. The same postmortem in the public repository acme/open: only the public acme/open#1 may be suggested;
    // the private ones (acme/pm#1, acme/secret#1, the English one of step 1) are not, not even in the hidden state.
    const inPublic = await standin.openIssue({
      owner: OWNER,
      repo: "open",
      title: "Checkout connection pool exhausted again",
      body: pm({ summary: "Checkout failed for a third of learners.", rootCauses: POOL_CAUSES, trigger: "A campaign email." }),
      labels: ["postmortem"],
      user: "bob",
    });
    await settle(standin, [app]);
    const publicComment = standin.comments(OWNER, "open", inPublic.number).find((c) => c.body.startsWith(STATUS_MARKER))!.body;
    expect((readState(publicComment)!.similar as { items: Array<{ ref: string }> }).items.map((i) => i.ref)).toEqual(["acme/open#1"]);
    expect(publicComment).not.toContain("acme/pm");
    expect(publicComment).not.toContain("acme/secret");

    // 4. An edit of the ready postmortem: no lookup, no write (the unchanged re-edit budget: 1 call).
    mark = standin.mark();
    await standin.editIssue(OWNER, "pm", english.number, { body: pm({ summary: "Checkout failed for a third of learners!", rootCauses: POOL_CAUSES, trigger: "A campaign email." }) }, "bob");
    await settle(standin, [app]);
    expect(standin.describeCalls(standin.apiCallsSince(mark))).toEqual(["GET /repos/{owner}/{repo}/issues/{issue_number} 200"]);

    // 5. `/postmortem similar` looks again with the warm index (no lookup reads): the Japanese postmortem, now in
    // the index, is no match, so the same two are listed (their order may change: the index's word statistics did); the comment
    // is written once.
    standin.setPermission(OWNER, "pm", "bob", "triage");
    mark = standin.mark();
    const before = statusOf(english.number).body;
    await standin.comment(OWNER, "pm", english.number, "/postmortem similar", "bob");
    await settle(standin, [app]);
    const asked = standin.describeCalls(standin.apiCallsSince(mark));
    expect(asked.filter((c) => c.startsWith("POST /graphql") || c.startsWith("GET /installation") || c.startsWith("PATCH"))).toEqual(["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} 200"]);
    const refsIn = (text: string) => (readState(text)!.similar as { items: Array<{ ref: string }> }).items.map((i) => i.ref).sort();
    expect(refsIn(statusOf(english.number).body)).toEqual(refsIn(before));
    expect(standin.reactions(OWNER, "pm", { comment: standin.comments(OWNER, "pm", english.number).at(-1)!.id }).map((r) => r.content)).toEqual(["eyes", "rocket"]);
    expect(app.errorLogs()).toEqual([]);
    expect(standin.refused).toEqual([]);
  }, 120_000);
});
