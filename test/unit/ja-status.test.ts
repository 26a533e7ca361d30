import { describe, expect, it } from "vitest";
import { parseConfigFile, resolveConfig } from "../../src/config/load.js";
import { defaultConfig, type Config } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { checkOutcome, managedLabels, readingLabels } from "../../src/features/postmortem.js";
import { labelMessages } from "../../src/i18n/messages/labels.js";
import { dueDateOf } from "../../src/features/reminders.js";
import { parseActionItems } from "../../src/postmortem/action-items.js";
import { emptyFollowUps, itemsToFile, linkAndTickItems, readFollowUpMarker, renderFollowUp, statusWord, type FollowUpRecord, type FollowUpState } from "../../src/postmortem/follow-ups.js";
import { renderFieldsUsed } from "../../src/postmortem/fields-used.js";
import { reasonDescription } from "../../src/postmortem/reason-text.js";
import { readState, renderStatusComment, STATUS_MARKER, writeState, type FollowUpView } from "../../src/postmortem/status.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { body, fixture, FIXTURE_NOW, formFixture } from "../helpers/fixtures.js";

const home = { owner: "acme", repo: "incidents" };

/** The fixtures' teams config, in Japanese (and, unless told, in Tokyo). */
function configWith(extra: string): Config {
  const parsed = parseConfigFile(`${fixture("configs/teams.yml")}${extra}`, ".github/postmortem.yml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveConfig(parsed.raw);
}
const ja = configWith("language: ja\ntimezone: Asia/Tokyo\n");
const en = configWith("timezone: Asia/Tokyo\n");

/** Words of English prose; none may be left once user text, code spans, field names and markers are taken out. */
const ENGLISH = /\b(the|is|are|not|and|to|of|in|was|were|be|for|with|this|it|or|by|has|done|open|planned|deleted|transferred|problems?|fix|ready|metrics?|follow-ups?|value|definition|times|written|zone|read)\b/i;

/** The app's own words in a rendered text: without the given user and config texts, code spans, 「field」 names and hidden markers. */
function appWords(text: string, userTexts: string[]): string {
  let rest = text;
  for (const user of userTexts) rest = rest.split(user).join(" ");
  return rest
    .split("\n")
    .filter((line) => !line.startsWith("<!-- postmortem-bot:"))
    .join("\n")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/「[^」\n]*」/g, " ");
}

const validate = (name: string, config: Config) => validatePostmortem({ body: body(name), form: defaultForm(), config, now: FIXTURE_NOW, home });

/** One follow-up in every state the status comment knows, for the items of `complete.md`. */
function followUpsInEveryState(config: Config): { state: FollowUpState; texts: string[] } {
  const items = validate("complete", config).actionItems;
  const texts = ["Alert on checkout error rate", "Add payments to the capacity checklist", "Route provider calls through the proxy", "Write the runbook", "Rotate the keys"];
  const records: FollowUpRecord[] = [
    { ref: "acme/backend#11", state: "open", text: texts[0]! },
    { ref: "acme/sre#5", state: "closed", reason: "completed", text: texts[1]! },
    { ref: "acme/backend#12", state: "closed", reason: "not_planned", text: texts[2]! },
    { ref: "acme/backend#13", state: "open", missing: "deleted", text: texts[3]! },
    { ref: "acme/sre#6", state: "open", missing: "transferred", text: texts[4]! },
  ];
  const keys = [...items.map((item) => item.key), "k4", "k5"];
  return { state: { published: true, items: Object.fromEntries(records.map((record, i) => [keys[i]!, record])) }, texts };
}

/** The status comment exactly as the reconciler renders it (checkOutcome is what reconcilePostmortem uses). */
function statusComment(name: string, config: Config, followUps: FollowUpView) {
  const validation = validate(name, config);
  const state = { v: 1 as const, status: validation.valid ? ("ready" as const) : ("incomplete" as const) };
  return { text: renderStatusComment(checkOutcome(validation, config, followUps, undefined, FIXTURE_NOW), state), state, validation };
}

/** Config text the comment shows as configured: the level's definition (the built-in levels' are English). */
const levelDefinition = (validation: ReturnType<typeof validate>) => (validation.level.level ? [validation.level.level.definition] : []);

describe("the status comment in Japanese", () => {
  it("a complete postmortem: Japanese headings, 「field」 names, 1時間38分-style durations, follow-ups in every state", () => {
    const { state, texts } = followUpsInEveryState(ja);
    const { text, state: hidden, validation } = statusComment("complete", ja, { state, notices: [] });

    expect(text.startsWith(`${STATUS_MARKER}\n### ポストモーテムのチェック: ✅ 完成\n\nすべての項目が記入されていて、内容に矛盾もありません。\n`)).toBe(true);
    expect(text).toContain("#### 指標\n\n| 指標 | 値 | 定義 |\n| --- | --- | --- |\n");
    expect(text).toContain("| TTD | 12分 | 検知までの時間 = 検知 − 影響開始 |");
    expect(text).toContain("| TTR | 1時間38分 | 復旧までの時間 = 復旧 − 影響開始 |");
    expect(text).toContain("| TTM | 47分 | 緩和までの時間 = 緩和 − 影響開始 |");
    expect(text).toContain("<sub>タイムゾーンの書かれていない時刻は、Asia/Tokyo の時刻として読んでいます。</sub>");
    expect(text).toContain("#### 使用した項目\n\n- TTD = 「Detected」 − 「Impact started」 で算出");

    expect(text).toContain("#### フォローアップ: 5件中1件完了\n\n1件は対応しないとしてクローズ済み、1件は未完了、2件は見つかりません。\n");
    expect(text).toContain("- [ ] acme/backend#11 — Alert on checkout error rate（未完了）");
    expect(text).toContain("- [x] acme/sre#5 — Add payments to the capacity checklist（完了）");
    expect(text).toContain("- [x] acme/backend#12 — Route provider calls through the proxy（対応しない）");
    expect(text).toContain("- ⚠️ acme/backend#13 — Write the runbook（削除済み。起票し直すには、ポストモーテムからこのリンクを消してください）");
    expect(text).toContain("- ⚠️ acme/sre#6 — Rotate the keys（移動済み。起票し直すには、ポストモーテムからこのリンクを消してください）");

    // The hidden markers and state are the machine's, in every language.
    expect(text.endsWith(`\n\n${writeState(hidden)}`)).toBe(true);
    expect(readState(text)).toEqual(hidden);

    const words = appWords(text, [...texts, ...levelDefinition(validation)]);
    expect(words).not.toMatch(ENGLISH);
    expect(text).not.toContain("Postmortem check");
  });

  it("an incomplete postmortem: the count, the problems with 「field」 names, and why a metric is absent", () => {
    const { text, validation } = statusComment("incomplete", ja, { state: emptyFollowUps(), notices: [] });
    expect(text).toContain("### ポストモーテムのチェック: ❌ 修正が必要な問題が8件あります\n\nIssue を編集して修正してください。このコメントは自動で更新されます。\n\n- 「Severity」は必須ですが、空欄です。");
    expect(text).toContain("- 「Recovered」が「Detected」より前になっています。");
    expect(text).toContain("| TTD | 12分 |");
    expect(text).toContain("| TTM | —（緩和の時刻が書かれていません） | 緩和までの時間 = 緩和 − 影響開始 |");
    // Not published and nothing filed: no follow-ups section.
    expect(text).not.toContain("#### フォローアップ");
    // The problems quote the form's own text (its headings and the checkbox's label) in code spans.
    expect(appWords(text, levelDefinition(validation))).not.toMatch(ENGLISH);
  });

  it("published with no action items, a stated value, and more problems than fit", () => {
    const { text } = statusComment("complete", ja, { state: { published: true, items: {} }, notices: [] });
    expect(text).toContain("#### フォローアップ: 0件中0件完了\n\n起票するアクションアイテムはありません。");

    const batbern = validatePostmortem({ body: body("batbern-complete"), form: formFixture("batbern-post-mortem"), config: ja, now: FIXTURE_NOW });
    const metrics = { ...batbern.metrics, ttd: { ...batbern.metrics.ttd, seconds: 18 * 60, stated: true } };
    const stated = renderStatusComment({ status: "ready", problems: [], metrics, zone: "UTC", language: "ja", fieldsUsed: renderFieldsUsed(batbern.roles, metrics, "started", "ja") }, { v: 1, status: "ready" });
    expect(stated).toContain("| TTD | 18分（記入値） |");
    expect(stated).toContain("| TTR | 44分 |");

    const problems = Array.from({ length: 53 }, (_, i) => ({ field: "x", code: "required" as const, message: `「項目${i}」は必須ですが、空欄です。` }));
    const many = renderStatusComment({ status: "incomplete", problems, metrics, zone: "UTC", language: "ja" }, { v: 1, status: "incomplete" });
    expect(many).toContain("❌ 修正が必要な問題が53件あります");
    expect(many).toContain("- …ほか3件あります。まず上の問題を修正してください。残りは次に編集したときにここに表示されます。");
  });

  it("a broken setup: the Japanese heading when the config could be read", () => {
    const outcome = { status: "error" as const, fileProblems: [{ file: "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml", line: 7, message: "duplicate id @acme" }] };
    const text = renderStatusComment({ ...outcome, language: "ja" }, { v: 1, status: "error" });
    expect(text).toContain("### ポストモーテムのチェック: ⚠️ チェックできません\n\nこのリポジトリのポストモーテムの設定に誤りがあるため、何もチェックしていません。");
    expect(text).toContain("- `acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml` 7行目: duplicate id @\u200bacme");
    expect(appWords(text, ["duplicate id @\u200bacme"])).not.toMatch(ENGLISH);
    // Without a config (it could not be read): English, as before.
    expect(renderStatusComment(outcome, { v: 1, status: "error" })).toContain("### Postmortem check: ⚠️ cannot check this postmortem");
  });

  it("user text still goes through inert in Japanese", () => {
    const state: FollowUpState = { published: true, items: { k: { ref: "acme/pm#2", state: "open", text: "@alice に確認 <!-- hide" } } };
    const text = renderStatusComment({ status: "ready", problems: [], metrics: validate("complete", ja).metrics, zone: "UTC", language: "ja", followUps: { state, notices: [] } }, { v: 1, status: "ready" });
    expect(text).toContain("- [ ] acme/pm#2 — @\u200balice に確認 &lt;!-- hide（未完了）");
  });

  it("English stays as it was", () => {
    const { state } = followUpsInEveryState(en);
    const { text } = statusComment("complete", en, { state, notices: ["Publishing was refused: x."] });
    expect(text).toContain("### Postmortem check: ✅ ready\n\nEvery field is complete and consistent.\n\n#### Metrics\n\n| Metric | Value | Definition |\n| --- | --- | --- |\n| TTD | 12m | time to detect = detected − impact started |\n| TTR | 1h 38m | time to recover = recovered − impact started |");
    expect(text).toContain("<sub>Times written without a zone are read in Asia/Tokyo.</sub>");
    expect(text).toContain(
      [
        "#### Follow-ups: 1 of 5 done",
        "",
        "1 closed as not planned, 1 open, 2 missing.",
        "",
        "- [ ] acme/backend#11 — Alert on checkout error rate (open)",
        "- [x] acme/sre#5 — Add payments to the capacity checklist (done)",
        "- [x] acme/backend#12 — Route provider calls through the proxy (not planned)",
        "- ⚠️ acme/backend#13 — Write the runbook (deleted: it was deleted; remove its link from the postmortem to file the item again)",
        "- ⚠️ acme/sre#6 — Rotate the keys (transferred: it was transferred; remove its link from the postmortem to file the item again)",
        "",
        "> [!WARNING]",
        "> Publishing was refused: x.",
      ].join("\n"),
    );
    const incomplete = statusComment("incomplete", en, { state: emptyFollowUps(), notices: [] }).text;
    expect(incomplete).toContain("### Postmortem check: ❌ 8 problems to fix\n\nEdit the issue to fix these; this comment updates itself.\n\n- **Severity** is required but empty.");
    expect(incomplete).toContain("| TTM | — (no mitigated time given) | time to mitigate = mitigated − impact started |");
  });
});

describe("a follow-up issue in Japanese", () => {
  const item = "- [ ] Ask @alice to alert on queue depth owner: backend type: detect due: 2026-12-15";
  const facts = { ref: { owner: "acme", repo: "incidents", number: 4 }, title: "決済の障害", severity: "SEV2", incidentDate: "2026-11-20" };
  const entryFor = (config: Config) => itemsToFile(parseActionItems(item, 0, home).items, emptyFollowUps(), config, home)[0]!;

  it("has Japanese row names, Japanese dates and the Japanese footer; the marker is unchanged", () => {
    const issue = renderFollowUp(entryFor(ja), facts, ja, { minimal: false });
    expect(issue.title).toBe("Ask @alice to alert on queue depth");
    expect(issue.body).toBe(
      [
        "Ask @\u200balice to alert on queue depth",
        "",
        "| | |",
        "| --- | --- |",
        "| 種類 | detect |",
        "| 期限 | 2026年12月15日 |",
        "| 重大度 | SEV2 |",
        "| 発生日 | 2026年11月20日 |",
        "| ポストモーテム | acme/incidents#4 |",
        "",
        "上記のポストモーテムのアクションアイテムから、postmortem-bot が起票しました。この Issue をクローズすると、ポストモーテム側のアイテムにチェックが入ります。",
        `<!-- postmortem-bot:follow-up {"parent":"acme/incidents#4","key":"${entryFor(ja).item.key}"} -->`,
      ].join("\n"),
    );
    expect(readFollowUpMarker(issue.body)).toEqual({ parent: { owner: "acme", repo: "incidents", number: 4 }, key: entryFor(ja).item.key });
    // The overdue reminder reads the due date back from the Japanese row.
    expect(dueDateOf(issue.body)).toBe("2026-12-15");
    const en = { ...ja, language: "en" as const };
    expect(dueDateOf(renderFollowUp(entryFor(en), facts, en, { minimal: false }).body)).toBe("2026-12-15");
    expect(appWords(issue.body, ["Ask @\u200balice to alert on queue depth"])).not.toMatch(ENGLISH);

    const minimal = renderFollowUp(entryFor(ja), facts, ja, { minimal: true });
    expect(minimal.body).toContain("| 期限 | 2026年12月15日 |\n| ポストモーテム | acme/incidents#4 |\n\n非公開リポジトリにあるポストモーテムのアクションアイテムから、postmortem-bot が起票しました。");
    expect(minimal.body).not.toContain("SEV2");
  });

  it("a due date that is not a day stays as written", () => {
    const issue = renderFollowUp(entryFor(ja), { ...facts, incidentDate: null }, ja, { minimal: false });
    const odd = renderFollowUp({ ...entryFor(ja), item: { ...entryFor(ja).item, due: "next sprint" } }, facts, ja, { minimal: false });
    expect(issue.body).not.toContain("発生日");
    expect(odd.body).toContain("| 期限 | next sprint |");
  });

  it("English stays as it was", () => {
    const issue = renderFollowUp(entryFor(en), facts, en, { minimal: false });
    expect(issue.body).toContain("| | |\n| --- | --- |\n| Type | detect |\n| Due | 2026-12-15 |\n| Severity | SEV2 |\n| Incident | 2026-11-20 |\n| Postmortem | acme/incidents#4 |\n\nFiled by postmortem-bot from an action item of the postmortem above. Closing this issue ticks the item there.\n<!-- postmortem-bot:follow-up ");
    expect(renderFollowUp(entryFor(en), facts, en, { minimal: true }).body).toContain("\n\nFiled by postmortem-bot from an action item of a postmortem in a private repository.\n");
  });

  it("an action-item table's Status cell gets the state in the config's language", () => {
    const table = "| Action | Owner | Issue | Status |\n| --- | --- | --- | --- |\n| Fix it | backend | acme/backend#9 | open |";
    const parsed = parseActionItems(table, 0, home, ja).items;
    const state: FollowUpState = { published: true, items: { x: { ref: "acme/backend#9", state: "closed", reason: "not_planned", text: "Fix it" } } };
    expect(linkAndTickItems(table, parsed, state, "ja")).toBe("| Action | Owner | Issue | Status |\n| --- | --- | --- | --- |\n| Fix it | backend | acme/backend#9 | 対応しない |");
    expect(linkAndTickItems(table, parsed, state)).toBe("| Action | Owner | Issue | Status |\n| --- | --- | --- | --- |\n| Fix it | backend | acme/backend#9 | not planned |");
    expect(["open", "done"].map((s) => statusWord({ ref: "a/b#1", state: s === "open" ? "open" : "closed", text: "" }, "ja"))).toEqual(["未完了", "完了"]);
  });
});

describe("label descriptions in Japanese", () => {
  it("the managed labels: names as configured, descriptions in Japanese", () => {
    const labels = managedLabels(ja);
    expect(Object.values(labels).map((l) => l.name)).toEqual(["postmortem: incomplete", "postmortem: ready", "postmortem: published", "postmortem: actions done"]);
    expect(labels.incomplete.description).toBe("ポストモーテムに修正が必要な問題があります（ステータスコメントを参照してください）");
    expect(labels.ready.description).toBe("ポストモーテムが完成し、レビューできる状態です");
    expect(labels.published.description).toBe("レビュー済みです。アクションアイテムはフォローアップとして起票されています");
    expect(labels.actionsDone.description).toBe("このポストモーテムのフォローアップはすべてクローズされました");
    for (const label of Object.values(labels)) {
      expect(label.description).not.toMatch(ENGLISH);
      expect(label.description.length).toBeLessThanOrEqual(100);
    }
  });

  it("the reading list's labels: built-in reasons in Japanese, a reason the config words itself as written", () => {
    const reading = readingLabels(ja);
    expect(reading.map((l) => [l.name, l.description])).toEqual([
      ["recommended", "オンボーディングで読むのにおすすめのポストモーテムです"],
      ["recommended: lessons", "学びが多い"],
      ["recommended: architecture", "現在のアーキテクチャの理解に役立つ"],
      ["recommended: response", "障害対応の進め方の参考になる"],
    ]);
    const custom = configWith("language: ja\nreading_list:\n  reasons:\n    lessons: 教訓が多い\n    security: Shows how we handle a breach\n    response: A reference for how to act during an incident\n");
    expect(readingLabels(custom).map((l) => l.description)).toEqual(["オンボーディングで読むのにおすすめのポストモーテムです", "教訓が多い", "Shows how we handle a breach", "障害対応の進め方の参考になる"]);
    expect(reasonDescription(custom, "architecture")).toBe("architecture");
    expect(reasonDescription(custom, "constructor")).toBe("constructor");
  });

  it("the built-in English reasons are the config's defaults, and English stays as it was", () => {
    const m = labelMessages.byLanguage.en;
    expect(defaultConfig.reading_list.reasons).toEqual({ lessons: m.reasonLessons, architecture: m.reasonArchitecture, response: m.reasonResponse });
    expect(Object.values(managedLabels(en)).map((l) => l.description)).toEqual([
      "Postmortem has problems to fix; see the status comment",
      "Postmortem is complete and ready for review",
      "Postmortem reviewed; its action items are filed as follow-ups",
      "Every follow-up of this postmortem is closed",
    ]);
    expect(readingLabels(en).map((l) => l.description)).toEqual(["Recommended reading for onboarding", "Holds many lessons", "Helps to understand the current architecture", "A reference for how to act during an incident"]);
  });
});
