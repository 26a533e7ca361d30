import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body as fixtureBody, fixture } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * An org's own form (test/fixtures/forms/boilerplate-devops-postmortem.yml,
 * verbatim) with no `fields:` and no `severities:` in the config: the app infers
 * the roles, reads `- [detect] platform-team — … — #412` items and Sev1–Sev3
 * levels, and takes a complete body from open to ready, recommended and published.
 */
const OWNER = "acme";
const REPO = "ops";
const TEMPLATE = ".github/ISSUE_TEMPLATE/postmortem.yml";
const CONFIG = "teams:\n  platform-team: { repo: acme/platform }\n";
// One more item that is not tracked yet: publishing files it for its owner, the configured team `platform-team`.
const UNTRACKED = "- [detect] platform-team — alarm on pool saturation per service";
const BODY = fixtureBody("boilerplate-devops-complete").replace("misleading — #414", (line) => `${line}\r\n${UNTRACKED}`);

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
        files: { ".github/postmortem.yml": CONFIG, [TEMPLATE]: fixture("forms/boilerplate-devops-postmortem.yml") },
      });
      standin.addRepo({ owner: OWNER, name: "platform", installationId: 13 });
      // Publishing needs triage or more from whoever adds the published label (docs/security.md).
      standin.setPermission(OWNER, REPO, "sre-lead", "triage");
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a third-party form with no fields: config, end to end", () => {
  it("goes open → ready → recommended → published, and says which fields gave each metric", async () => {
    const { standin, app } = stack;
    expect(BODY).toContain(UNTRACKED);
    const pm = await standin.openIssue({ owner: OWNER, repo: REPO, title: "Postmortem: API 503s", body: BODY, labels: ["postmortem"], user: "alice" });
    await settle(standin, [app]);
    expect(labelsOf(pm.number)).toEqual(["postmortem", "postmortem: ready"]);
    const [status] = standin.comments(OWNER, REPO, pm.number);
    expect(status!.body).toContain("| TTD | 18m (stated) |");
    expect(status!.body).toContain("| TTR | 53m |");
    expect(status!.body).toContain("- TTD: as stated in **Minutes from impact starting to the first signal**, not computed from two times");
    expect(status!.body).toContain("- TTR = **Impact ended (UTC)** − **Impact started (UTC)**");
    expect(status!.body).toContain("Fields were matched to roles by their ids and labels.");

    await standin.addLabel(OWNER, REPO, pm.number, "recommended", "sre-lead");
    await settle(standin, [app]);
    const list = standin.issues(OWNER, REPO).find((i) => i.title === "Postmortem reading list");
    expect(list?.body).toContain(`${OWNER}/${REPO}#${pm.number}`);

    await standin.addLabel(OWNER, REPO, pm.number, "postmortem: published", "sre-lead");
    await settle(standin, [app]);
    const filed = standin.issues(OWNER, "platform");
    expect(filed.map((i) => i.title)).toEqual(["alarm on pool saturation per service"]);
    // Tracked items (#412–#414) are never filed again.
    expect(standin.issue(OWNER, REPO, pm.number)!.body).toContain(`acme/platform#${filed[0]!.number}`);
    expect(standin.refused).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 90_000);
});
