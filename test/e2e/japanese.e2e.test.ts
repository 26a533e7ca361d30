import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { body as fixtureBody, fixture, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";
import { messagesOf } from "../../src/i18n/index.js";
import { metricsIssueMessages } from "../../src/i18n/messages/metrics-issue.js";
import { METRICS_MARKER } from "../../src/postmortem/report-render.js";
import { REPO_ROOT, startStack, type E2EStack } from "./harness.js";
import { settle } from "./settle.js";

/**
 * Issue 15's "done when": an org on `language: ja` with the Japanese form
 * (.github/ISSUE_TEMPLATE/postmortem-ja.yml, copied into the repository as a
 * user would) sees Japanese status comments, label descriptions, reading list,
 * follow-up issues, command replies and metrics issue from the real app process;
 * `lint --lang ja` prints Japanese problems.
 */
const OWNER = "acme";
const REPO = "incidents";
const FORM = ".github/ISSUE_TEMPLATE/postmortem-ja.yml";
const CONFIG = `language: ja\ntimezone: Asia/Tokyo\ntemplate: ${FORM}\n${TEAMS_CONFIG_TEXT}\nreading_list:\n  curators: [sre-lead]\n`;
/** Sentences of plain English (the app's texts), outside code spans: none may reach a Japanese writer. */
const ENGLISH_SENTENCE = /(?<![`\w])(?:the|is|are|was|not|and|this|with|from|to fix)\s+[a-z]+/i;

let stack: E2EStack;
const labelsOf = (repo: string, n: number) => stack.standin.issue(OWNER, repo, n)!.labels.map((l) => l.name).sort();
const prose = (text: string) => text.replace(/<!--[\s\S]*?-->/g, "").replace(/`[^`]*`/g, "").replace(/\]\([^)]*\)/g, "]").replace(/https?:\S+/g, "");

beforeAll(async () => {
  stack = await startStack({
    setup: (standin) => {
      standin.addInstallation({ id: 15, account: OWNER });
      standin.addRepo({
        owner: OWNER,
        name: REPO,
        installationId: 15,
        private: true,
        labels: [{ name: "postmortem" }],
        files: { ".github/postmortem.yml": CONFIG, [FORM]: fixture("../../.github/ISSUE_TEMPLATE/postmortem-ja.yml") },
      });
      for (const name of ["backend", "sre", "infra"]) standin.addRepo({ owner: OWNER, name, installationId: 15, private: true });
      standin.setPermission(OWNER, REPO, "sre-lead", "maintain");
    },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe("language: ja with the Japanese form, end to end", () => {
  it("writes the status comment, labels, reading list, follow-ups, replies and metrics issue in Japanese", async () => {
    const { standin, app } = stack;
    const open = async (title: string, text: string) => (await standin.openIssue({ owner: OWNER, repo: REPO, title, body: text, labels: ["postmortem"], user: "alice" })).number;
    const complete = await open("[ポストモーテム] 決済 API の 503", fixtureBody("ja-complete"));
    const draft = await open("[ポストモーテム] 書きかけ", fixtureBody("ja-incomplete"));
    await settle(standin, [app]);

    // Status comments.
    expect(labelsOf(REPO, complete)).toEqual(["postmortem", "postmortem: ready"]);
    const ready = standin.comments(OWNER, REPO, complete)[0]!.body!;
    expect(ready).toContain("### ポストモーテムのチェック: ✅ 完成");
    expect(ready).toContain("1時間38分");
    expect(ready).toContain("12分");
    expect(prose(ready)).not.toMatch(ENGLISH_SENTENCE);
    expect(labelsOf(REPO, draft)).toEqual(["postmortem", "postmortem: incomplete"]);
    const problems = standin.comments(OWNER, REPO, draft)[0]!.body!;
    expect(problems).toMatch(/### ポストモーテムのチェック: ❌ 修正が必要な問題が\d+件あります/);
    expect(problems).toContain("「重大度」");
    expect(problems).toContain("「検知日時」");
    expect(prose(problems)).not.toMatch(ENGLISH_SENTENCE);

    // Labels the app created carry Japanese descriptions.
    const described = Object.fromEntries(standin.labels(OWNER, REPO).map((l) => [l.name, l.description]));
    expect(described["postmortem: ready"]).toMatch(/[ぁ-ん]/);
    expect(described["postmortem: incomplete"]).toMatch(/[ぁ-ん]/);

    // The reading list, in Japanese.
    await standin.addLabel(OWNER, REPO, complete, "recommended", "sre-lead");
    await standin.addLabel(OWNER, REPO, complete, "recommended: lessons", "sre-lead");
    await settle(standin, [app]);
    const list = standin.issues(OWNER, REPO).find((i) => i.user.login === standin.botLogin && i.body?.includes(`${OWNER}/${REPO}#${complete}`))!;
    expect(list).toBeDefined();
    expect(list.body).toContain("学びが多い");
    expect(list.body).toContain("1時間38分");
    expect(prose(list.body!)).not.toMatch(ENGLISH_SENTENCE);

    // Publishing files the three action items, each with a Japanese body.
    await standin.addLabel(OWNER, REPO, complete, "postmortem: published", "sre-lead");
    await settle(standin, [app]);
    const filed = ["backend", "sre", "infra"].flatMap((repo) => standin.issues(OWNER, repo));
    expect(filed).toHaveLength(3);
    for (const issue of filed) {
      expect(issue.body).toMatch(/[ぁ-ん]/);
      expect(prose(issue.body!)).not.toMatch(ENGLISH_SENTENCE);
    }

    // A command with a Japanese name and a full-width space; its reply and the metrics issue are Japanese.
    await standin.comment(OWNER, REPO, complete, "/postmortem\u3000レポート", "sre-lead");
    await settle(standin, [app]);
    const reply = standin.comments(OWNER, REPO, complete).at(-1)!;
    expect(reply.user.login).toBe(standin.botLogin);
    expect(reply.body).toMatch(/[ぁ-ん]/);
    expect(prose(reply.body!)).not.toMatch(ENGLISH_SENTENCE);
    const metrics = standin.issues(OWNER, REPO).find((i) => i.user.login === standin.botLogin && i.body?.startsWith(METRICS_MARKER))!;
    expect(metrics).toBeDefined();
    expect(metrics.title).toBe(messagesOf(metricsIssueMessages, "ja").title);
    expect(reply.body).toContain(`${OWNER}/${REPO}#${metrics.number}`);
    expect(metrics.body).toMatch(/[ぁ-ん]/);
    expect(prose(metrics.body!).replace(/```mermaid[\s\S]*?```/g, "")).not.toMatch(ENGLISH_SENTENCE);

    expect(standin.refused).toEqual([]);
    expect(app.errorLogs()).toEqual([]);
  }, 150_000);

  it("`lint --lang ja` prints the problems in Japanese (the built CLI)", () => {
    const cli = join(REPO_ROOT, "bin/postmortem-bot.js");
    const run = spawnSync(process.execPath, [cli, "lint", join(REPO_ROOT, "test/fixtures/bodies/ja-incomplete.md"), "--template", join(REPO_ROOT, FORM), "--lang", "ja"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("「重大度」");
    expect(prose(run.stdout)).not.toMatch(ENGLISH_SENTENCE);
  });
});
