import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body as fixtureBody, fixture } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * An org's own form (test/fixtures/forms/batbern-post-mortem.yml, verbatim) with
 * no `fields:` and no `severities:` in the config: the app infers the roles and
 * takes a complete body from open to ready, recommended and published.
 */
const OWNER = "acme";
const REPO = "ops";
const TEMPLATE = ".github/ISSUE_TEMPLATE/post-mortem.yml";
const CONFIG = `template: ${TEMPLATE}\nteams:\n  platform: { repo: acme/platform }\n`;
// One more row that is not tracked yet: publishing files it for its owner, the `platform` team.
const UNTRACKED = "| Page on queue depth above 1,000 for 5 minutes | detect |  | platform |";
const BODY = fixtureBody("batbern-complete").replace("| Alarm on consumer restarts above 3 in 10 minutes | detect | #58 | platform |", (row) => `${row}\r\n${UNTRACKED}`);

let stack: E2EStack;
const labelsOf = (n: number) => stack.standin.issue(OWNER, REPO, n)!.labels.map((l) => l.name).sort();

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 13, account: OWNER });
      standin.addRepo({
        owner: OWNER,
        name: REPO,
        installationId: 13,
        labels: [{ name: "postmortem" }, { name: "postmortem: published" }],
        files: { ".github/postmortem.yml": CONFIG, [TEMPLATE]: fixture("forms/batbern-post-mortem.yml") },
      });
      standin.addRepo({ owner: OWNER, name: "platform", installationId: 13 });
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a third-party form with no fields: config, end to end", () => {
  it("goes open → ready → recommended → published, and says which fields gave TTR", async () => {
    const { standin, app } = stack;
    expect(BODY).toContain(UNTRACKED);
    const pm = await standin.openIssue({ owner: OWNER, repo: REPO, title: "post-mortem: registration emails", body: BODY, labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);
    expect(labelsOf(pm.number)).toEqual(["postmortem", "postmortem: ready"]);
    const [status] = standin.comments(OWNER, REPO, pm.number);
    expect(status!.body).toContain("| TTR | 44m |");
    expect(status!.body).toContain("- TTR = end − start of **Impact window (UTC)**");
    expect(status!.body).toContain("Fields were matched to roles by their ids and labels.");

    await standin.addLabel(OWNER, REPO, pm.number, "recommended", "sre-lead");
    await settle(standin, [app]);
    const list = standin.issues(OWNER, REPO).find((i) => i.title === "Postmortem reading list");
    expect(list?.body).toContain(`${OWNER}/${REPO}#${pm.number}`);

    await standin.addLabel(OWNER, REPO, pm.number, "postmortem: published", "sre-lead");
    await settle(standin, [app]);
    const filed = standin.issues(OWNER, "platform");
    expect(filed.map((i) => i.title)).toEqual(["Page on queue depth above 1,000 for 5 minutes"]);
    // Tracked rows (#57, #58) are never filed again.
    expect(standin.issue(OWNER, REPO, pm.number)!.body).toContain(`acme/platform#${filed[0]!.number}`);
    expect(standin.refused).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 90_000);
});
