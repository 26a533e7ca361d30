import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init } from "../../src/cli/init.js";
import { fixture } from "../helpers/fixtures.js";
import { generateTestAppKey } from "./harness.js";
import { startStandin, type Standin } from "./standin/server.js";

/** `postmortem-bot init --repo`, in process, reading the config and the form through the stand-in. */
const INSTALLATION = 21;
let standin: Standin;
let env: Record<string, string>;

beforeAll(async () => {
  standin = await startStandin({ appId: 4343, publicKey: generateTestAppKey().publicKey });
  standin.webhooksEnabled = false;
  standin.addInstallation({ id: INSTALLATION, account: "acme" });
  standin.addRepo({
    owner: "acme",
    name: "ops",
    installationId: INSTALLATION,
    files: { ".github/postmortem.yml": "template: .github/ISSUE_TEMPLATE/incident-report.yml\nlanguage: ja\n", ".github/ISSUE_TEMPLATE/incident-report.yml": fixture("forms/trimix-incident-report.yml") },
  });
  standin.addRepo({ owner: "acme", name: "plain", installationId: INSTALLATION });
  env = { GITHUB_TOKEN: standin.createInstallationToken(INSTALLATION), GITHUB_API_URL: `${standin.url}/api/v3` };
}, 60_000);

afterAll(async () => {
  await standin?.close();
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await init(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("postmortem-bot init --repo", () => {
  it("reads the repository's config and form as the app does, in the config's language", async () => {
    const mark = standin.mark();
    const r = await run(["--repo", "acme/ops"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("フォーム: acme/ops:.github/ISSUE_TEMPLATE/incident-report.yml（「🚨 インシデント報告」、7 項目）");
    expect(r.out).toContain("severity          severity (「重大度」)  ラベルに「重大度」とあります");
    expect(r.err).toContain("TTR を算出できません。");
    // The config, then the form: two reads, nothing written.
    expect(standin.apiCallsSince(mark).map((c) => c.route)).toEqual(["GET /repos/{owner}/{repo}/contents/{path}", "GET /repos/{owner}/{repo}/contents/{path}"]);
    expect(standin.refused).toEqual([]);
  });

  it("a repository without a form of its own shows the built-in form, which computes TTR", async () => {
    const r = await run(["--repo", "acme/plain"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("The repository has no postmortem form of its own, so this is the built-in form.");
    expect(r.out).toContain("TTR = **Recovered** − **Impact started**".replace(/\*\*/g, ""));
  });
});
