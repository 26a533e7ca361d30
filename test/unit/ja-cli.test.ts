import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/index.js";
import { LINT_USAGE } from "../../src/cli/lint.js";
import { languageOfConfigText, parseConfigFile, resolveConfig } from "../../src/config/load.js";
import { defaultForm, loadSetup, type FileReader } from "../../src/config/setup.js";
import { parseForm } from "../../src/form/template.js";
import { levelConfigProblems } from "../../src/postmortem/levels.js";
import { fixture } from "../helpers/fixtures.js";

const path = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));
const NOW = ["--now", "2026-11-27T00:00:00Z"];

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A config file written for one test. */
function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "pm-ja-cli-")), "postmortem.yml");
  writeFileSync(file, text);
  return file;
}

/** An in-memory org: "owner/repo:path" -> text. */
function org(files: Record<string, string>): FileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    read: async (ref, p) => {
      reads.push(`${ref.owner}/${ref.repo}:${p}`);
      return files[`${ref.owner}/${ref.repo}:${p}`] ?? null;
    },
  };
}
const ref = { owner: "acme", repo: "incidents" };
const CONFIG = "acme/incidents:.github/postmortem.yml";

/**
 * The prose of a Japanese text: code spans, 「field names」, quoted values and
 * paths (which are the user's or the form's words) removed.
 */
function prose(text: string): string {
  return text
    .replace(/`[^`\n]*`/g, "")
    .replace(/「[^」\n]*」/g, "")
    .replace(/'[^'\n]*'/g, "")
    .replace(/"[^"\n]*"/g, "")
    .replace(/\S*\/\S*/g, "");
}
/** Common English words (and zod's and the app's English openings) that a Japanese sentence never needs. */
const ENGLISH = /\b(the|is|are|not|and|to|of|must|be|an?|unknown|key|expected|invalid|too|small|big|problems?|ok|cannot|read)\b/i;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Every problem line reads as Japanese, with no English sentence in it. */
function expectJapanese(lines: readonly string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line, line).toMatch(JAPANESE);
    expect(prose(line), line).not.toMatch(ENGLISH);
  }
}

describe("lint --lang ja", () => {
  it("prints the problems of an incomplete body, its metrics and the fields used in Japanese", async () => {
    const r = await run("lint", path("bodies/incomplete.md"), ...NOW, "--lang", "ja");
    expect(r.code).toBe(1);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe(`${path("bodies/incomplete.md")}: 問題が8件あります`);
    expect(r.out).toContain("  severity [required] 「Severity」は必須ですが、空欄です。`SEV1`, `SEV2`, `SEV3`, `SEV4` のいずれかを選んでください。");
    expect(r.out).toContain("  impact [required] 「Impact」は必須ですが、空欄です。`### Impact` の見出しの下に書いてください");
    expect(r.out).toContain("  blameless [checkbox-required] 「Blameless review」: ");
    expect(r.out).toContain("  recovered [timestamp-order] 「Recovered」が「Detected」より前になっています。");
    expect(r.out).toContain("  TTD 12分  [検知までの時間 = 検知 − 影響開始]");
    expect(r.out).toContain("  TTR 7分  [復旧までの時間 = 復旧 − 影響開始]");
    expect(r.out).toContain("  TTM - (緩和の時刻が書かれていません)  [緩和までの時間 = 緩和 − 影響開始]");
    expect(r.out).toContain("  TTD = 「Detected」 − 「Impact started」 で算出");
    expectJapanese(lines.map((line) => line.replace(path("bodies/incomplete.md"), "")).filter((line) => line.trim() !== ""));
    expect(r.out).not.toContain("problem(s)");
    expect(r.out).not.toContain("is required but empty");
  });

  it("says a complete body is fine, with durations as 1時間38分 and the level's rules and budget in Japanese", async () => {
    const r = await run("lint", path("bodies/complete-slo.md"), ...NOW, "--config", path("configs/slos.yml"), "--lang", "ja");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${path("bodies/complete-slo.md")}: 問題ありません`);
    expect(r.out).toContain("  TTR 1時間38分  [復旧までの時間 = 復旧 − 影響開始]");
    expect(r.out).toContain("  - [ ] 2026年12月4日までにレビューして公開します（復旧から 10 営業日）");
    expect(r.out).toContain("  | checkout availability | 99.9% | 30d | 86.2% |");
    expect(r.out).not.toContain(": ok");
    // No English line is left, the built-in level's definition included.
    expect(r.out).toContain("  重大: 主要な機能が多くの顧客に対して壊れているか大きく劣化していて、回避策がない。");
    const english = r.out.split("\n").filter((line) => line.trim() !== "" && !line.includes("|") && ENGLISH.test(prose(line)));
    expect(english).toEqual([]);
  });

  it("writes the JSON's problem messages in Japanese and keeps its keys and codes", async () => {
    const r = await run("lint", path("bodies/incomplete.md"), ...NOW, "--lang", "ja", "--format", "json");
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(["valid", "problems", "metrics", "metric_sources", "roles", "level", "budget", "answers"]);
    expect(json.problems[0]).toEqual({ field: "severity", code: "required", message: "「Severity」は必須ですが、空欄です。`SEV1`, `SEV2`, `SEV3`, `SEV4` のいずれかを選んでください。" });
  });

  it("follows the language of the config it reads, and --lang overrides it", async () => {
    const config = configFile("language: ja\ntimezone: Asia/Tokyo\n");
    // An English body: without --template a `language: ja` config would check it against the Japanese form.
    const english = ["--template", path("../../.github/ISSUE_TEMPLATE/postmortem.yml")];
    const ja = await run("lint", path("bodies/incomplete.md"), ...NOW, "--config", config, ...english);
    expect(ja.code).toBe(1);
    expect(ja.out).toContain(": 問題が8件あります");
    const en = await run("lint", path("bodies/incomplete.md"), ...NOW, "--config", config, ...english, "--lang", "en");
    expect(en.out).toContain(": 8 problem(s)");
    expect(en.out).toContain("  severity [required] Severity is required but empty.");
    expect(en.out).not.toMatch(JAPANESE);
  });

  it("shows a broken config's problems in the language it names, with no English zod text", async () => {
    const config = configFile("language: ja\nlable: incident-review\nseverities: SEV1\nlabels: { ready: '' }\nmetrics: { months: 0, ttr_from: sometimes }\n");
    const r = await run("lint", path("bodies/complete.md"), "--config", config);
    expect(r.code).toBe(2);
    const lines = r.err.split("\n");
    expect(lines).toEqual([
      `${config}:4: 'labels.ready' は空にしないでください`,
      `${config}:3: 'severities' はリストにしてください（いまは文字列 "SEV1" です）`,
      `${config}:5: 'metrics.ttr_from' は "started"、"detected" のどちらかにしてください`,
      `${config}:5: 'metrics.months' は1以上にしてください`,
      `${config}:2: 'lable' というキーはありません。使えるキーは schema/postmortem.schema.json を参照してください`,
    ]);
    expectJapanese(lines.map((line) => line.slice(config.length)));
  });

  it("shows a level the form cannot satisfy in Japanese", async () => {
    const config = configFile(`language: ja\n${fixture("configs/bad-levels.yml")}`);
    const r = await run("lint", path("bodies/complete.md"), "--config", config);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${config.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:6: レベル 'SEV1' が必須にしている 'runbook' は、フォーム .* の項目の id でも、役割の名前でも、ラベルでもありません。'summary'、'severity'、`));
    expect(prose(r.err.slice(config.length))).not.toMatch(ENGLISH);
  });

  it("shows a broken form's problems in Japanese", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--template", path("forms/broken-missing-label.yml"), "--lang", "ja");
    expect(r.code).toBe(2);
    expect(r.err.split("\n")).toEqual([
      `${path("forms/broken-missing-label.yml")}:6: body[0]（textarea）には空でない attributes.label が必要です`,
      `${path("forms/broken-missing-label.yml")}:20: ドロップダウン 'Severity' に選択肢 'SEV2' が2回あります。選択肢は重複できません`,
    ]);
  });

  it("refuses --lang xx as a usage error, in the config's language when it names one", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--lang", "xx");
    expect(r.code).toBe(2);
    expect(r.err).toBe(`--lang must be en or ja\n${LINT_USAGE}`);
    expect(r.out).toBe("");
    const ja = await run("lint", path("bodies/complete.md"), "--lang", "fr", "--config", configFile("language: ja\n"));
    expect(ja.code).toBe(2);
    expect(ja.err).toBe(`--lang には en か ja を指定してください\n${LINT_USAGE}`);
  });

  it.each([
    [["lint", "--lang", "ja"], "本文のファイルを1つ指定してください"],
    [["lint", "x.md", "--format", "xml", "--lang", "ja"], "--format には text か json を指定してください"],
    [["lint", "x.md", "--now", "soon", "--lang", "ja"], '--now "soon" は ISO 8601 形式の時刻ではありません'],
    [["lint", "/does/not/exist.md", "--lang", "ja"], "/does/not/exist.md を読み込めません（ファイルがありません）"],
    [["lint", "x.md", "--bogus", "--lang", "ja"], "--bogus というオプションはありません。- で始まる値を引数として渡すときは、-- の後に置いてください"],
    [["lint", "x.md", "--lang=ja", "--now"], "--now には値を指定してください"],
    [["lnt", "--lang", "ja"], '"lnt" というコマンドはありません'],
    [["sweep", "extra", "--lang", "ja"], "sweep は引数を取りません"],
    [["init", "--lang", "ja"], "フォームのファイルを1つ指定するか、--repo を指定してください"],
    [["init", "a.yml", "--force", "--lang", "ja"], "--force は --write と一緒に指定してください"],
    [["init", "--repo", "not a repo", "--lang", "ja"], '--repo "not a repo" は owner/name の形ではありません'],
  ])("exits 2 on %j with a Japanese message", async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err.split("\n")[0]).toBe(message);
  });

  it("init --lang ja shows a broken form's problems in Japanese", async () => {
    const r = await run("init", path("forms/broken-duplicate-id.yml"), "--lang", "ja");
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${path("forms/broken-duplicate-id.yml")}:21: id 'detected' が2回使われています（最初は14行目）。id は重複できません`);
  });
});

describe("setup problems before a config exists", () => {
  it("are Japanese when the broken file itself says language: ja (unknown key, wrong type)", async () => {
    const result = await loadSetup(org({ [CONFIG]: "language: ja\nfollow_ups:\n  publsh_on: close\nreminders: { enabled: yes }\nslos: [{ name: a, target: 100, window: 400d }]\n" }), ref);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.language).toBe("ja");
    expect(result.config).toBeNull();
    expect(result.problems).toEqual([
      { file: CONFIG, line: 5, message: "'slos.0.target' は0より大きく100より小さいパーセント値（99.9 など）にしてください" },
      { file: CONFIG, line: 5, message: "'slos.0.window' は366日以内にしてください" },
      { file: CONFIG, line: 4, message: `'reminders.enabled' は true か false にしてください（いまは文字列 "yes" です）` },
      { file: CONFIG, line: 3, message: "'follow_ups' に 'publsh_on' というキーはありません。使えるキーは schema/postmortem.schema.json を参照してください" },
    ]);
    expectJapanese(result.problems.map((p) => p.message));
  });

  it.each([
    ["severities: []", "'severities' は空にせず、値を1つ以上並べてください"],
    [`label: ${"x".repeat(60)}`, "'label' は50文字以内にしてください"],
    ["fields: { severity: 3 }", "'fields.severity' は文字列、false のどちらかにしてください"],
    ["reading_list: { reasons: { Bad_Key: x } }", "'reading_list.reasons.Bad_Key' は使えないキーです。理由のキーには英小文字、数字、'-' だけを使ってください"],
    ["teams: { a: { repo: nope } }", "'teams.a.repo' は owner/name の形のリポジトリにしてください"],
    ["slos: [{ name: a, target: 99, window: 30d }, { name: A, target: 99, window: 30d }]", "'slos.1.name' は1番目と同じ SLO 'A' です。同じ SLO は1回だけ書いてください"],
    ["holidays: [2026-02-30]", "'holidays.0' は実在する日付にしてください"],
    ["metrics: { months: 1.5 }", "'metrics.months' は整数にしてください（いまは数値 1.5です）"],
    ["reviews: { require_over_budget: 0 }", "'reviews.require_over_budget' は0より大きくしてください"],
    ["levels: [{ name: SEV1 }]", "'levels.0.definition' がありません。文字列で書いてください"],
    ["timezone: Mars/Olympus", "'timezone' は Asia/Tokyo や UTC のような IANA のタイムゾーン名にしてください"],
    ["template: /abs.yml", "'template' はリポジトリ内の .yml か .yaml ファイルのパスにしてください（先頭に / は付けません）"],
    ["severities: [SEV1, sev1]", "'severities' は同じレベルを2回書かないでください"],
    ["labels: { evaluated_level: ' x' }", "'labels.evaluated_level' は空白で始めないでください"],
    ["- a list", "設定ファイルは「キー: 値」の YAML マッピングで書いてください"],
    ["label: a\nlabel: b", "YAML として読み取れません（同じキーが2回書かれています。キーは重複できません）"],
  ])("Japanese for %s, with no English zod text", (text, message) => {
    const result = parseConfigFile(text, "c.yml", "ja");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toContain(message);
    expectJapanese(result.problems.map((p) => p.message));
  });

  it("take the first valid language: of the files in the order they are read", async () => {
    // The broken file names none; the file it extends does: the chain is followed on to find it.
    const extended = org({ [CONFIG]: "_extends: base\nlable: x\n", "acme/base:.github/postmortem.yml": "language: ja\n" });
    const fromBase = await loadSetup(extended, ref);
    expect(fromBase).toMatchObject({ ok: false, language: "ja", problems: [{ file: CONFIG, line: 2, message: "'lable' というキーはありません。使えるキーは schema/postmortem.schema.json を参照してください" }] });
    expect(extended.reads).toEqual([CONFIG, "acme/base:.github/postmortem.yml"]);
    // The most specific file wins; an invalid value does not count.
    const first = await loadSetup(org({ [CONFIG]: "language: en\n_extends: base\n", "acme/base:.github/postmortem.yml": "language: ja\nlable: x" }), ref);
    expect(first).toMatchObject({ ok: false, language: "en", problems: [{ message: "unknown key 'lable'; see schema/postmortem.schema.json for the keys" }] });
    const invalid = await loadSetup(org({ [CONFIG]: "language: fr\n_extends: base\n", "acme/base:.github/postmortem.yml": "language: ja" }), ref);
    expect(invalid).toMatchObject({ ok: false, language: "ja", problems: [{ line: 1, message: `'language' は "en"、"ja" のどちらかにしてください` }] });
    // The org's file, read when the repository has none.
    const orgFile = await loadSetup(org({ "acme/.github:.github/postmortem.yml": "language: ja\ntimezone: Mars/Olympus" }), ref);
    expect(orgFile).toMatchObject({ ok: false, language: "ja", problems: [{ file: "acme/.github:.github/postmortem.yml", line: 2 }] });
    // A file that is not YAML names nothing: English.
    const notYaml = await loadSetup(org({ [CONFIG]: "language: ja\nlabels: a: b" }), ref);
    expect(notYaml).toMatchObject({ ok: false, language: "en", problems: [{ message: expect.stringMatching(/^invalid YAML: /) }] });
  });

  it("writes _extends problems in the chain's language", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ [CONFIG]: "language: ja\n_extends: missing" }, "`_extends: missing` が指す acme/missing:.github/postmortem.yml がありません"],
      [{ [CONFIG]: "language: ja\n_extends: evil/base" }, "`_extends: evil/base` は acme の組織の外を指しています。このアプリは組織の外のファイルを読みません"],
      [{ [CONFIG]: "language: ja\n_extends: 'a b c'" }, "`_extends: a b c` は 'repo'、'owner/repo'、'owner/repo:path' のどの形でもありません"],
      [{ [CONFIG]: "_extends: other", "acme/other:.github/postmortem.yml": "language: ja\n_extends: incidents" }, "`_extends` をたどると同じファイルに戻ってしまいます（循環しています）"],
    ];
    for (const [files, message] of cases) {
      const result = await loadSetup(org(files), ref);
      expect(result).toMatchObject({ ok: false, language: "ja", problems: [{ line: null, message }] });
    }
  });

  it("writes form problems and level checks against the form in the config's language", async () => {
    const broken = await loadSetup(org({ [CONFIG]: "language: ja", "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml": fixture("forms/broken-duplicate-id.yml") }), ref);
    expect(broken).toMatchObject({ ok: false, language: "ja", problems: [{ line: 21, message: "id 'detected' が2回使われています（最初は14行目）。id は重複できません" }] });
    if (!broken.ok) expect(broken.config?.language).toBe("ja");

    const levels = ["language: ja", "levels:", "  - name: SEV9", "    definition: 誰も気づかなかった"].join("\n");
    const notOption = await loadSetup(org({ [CONFIG]: levels }), ref);
    expect(notOption).toMatchObject({ ok: false, language: "ja", problems: [{ line: 3 }] });
    if (!notOption.ok) expect(notOption.problems[0]!.message).toMatch(/^レベル 'SEV9' は、このリポジトリの重大度（フォーム .* のSEV1、SEV2、SEV3、SEV4）にありません。/);
    const severities = await loadSetup(org({ [CONFIG]: `severities: [SEV1, SEV9]\n${levels}` }), ref);
    // A `language: ja` repository without a form of its own is checked against the built-in Japanese form.
    if (!severities.ok) expect(severities.problems[0]!.message).toMatch(/^レベル 'SEV9' は、.* のドロップダウン '重大度' の選択肢（SEV1、SEV2、SEV3、SEV4）にありません$/);
    expect(severities.ok).toBe(false);
  });

  it("the level checks are written in the language asked for, at the same keys", () => {
    const form = defaultForm();
    for (const text of [
      "levels: [{ name: SEV1, definition: d, required_fields: [runbook] }, { name: SEV9, definition: e }]",
      "severities: [SEV1, SEV9]\nlevels: [{ name: SEV9, definition: e }]",
    ]) {
      const parsed = parseConfigFile(text, "c.yml");
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
      const config = resolveConfig(parsed.raw);
      const problems = levelConfigProblems(config, form);
      expect(problems.length).toBeGreaterThan(0);
      // The same checks in Japanese: as many problems, at the same keys, none in English.
      const ja = levelConfigProblems(config, form, "ja");
      expect(ja.map((p) => p.path)).toEqual(problems.map((p) => p.path));
      for (const problem of ja) expect(problem.message).toMatch(/^レベル '/);
    }
  });

  it("are in the language the caller asks for (init --repo --lang), whatever the files say", async () => {
    const files = { [CONFIG]: "language: en\nlable: x" };
    const asked = await loadSetup(org(files), ref, { language: "ja" });
    expect(asked).toMatchObject({ ok: false, language: "ja", problems: [{ line: 2, message: "'lable' というキーはありません。使えるキーは schema/postmortem.schema.json を参照してください" }] });
    const form = await loadSetup(org({ "acme/incidents:.github/ISSUE_TEMPLATE/postmortem.yml": "- a" }), ref, { language: "ja" });
    expect(form).toMatchObject({ ok: false, language: "ja", problems: [{ message: "Issue フォームは、name・description・body を持つ YAML マッピングで書いてください" }] });
  });

  it("lint --lang en shows a Japanese-configured broken file's problems in English", async () => {
    const r = await run("lint", path("bodies/complete.md"), "--config", configFile("language: ja\nlable: x\n"), "--lang", "en");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/:2: unknown key 'lable'; see schema\/postmortem\.schema\.json for the keys$/);
  });

  it("reads a language best-effort from text that is YAML", () => {
    expect(languageOfConfigText("language: ja\nlable: x")).toBe("ja");
    expect(languageOfConfigText("language: fr")).toBeNull();
    expect(languageOfConfigText("language: ja\nlabels: a: b")).toBeNull();
    expect(languageOfConfigText("- language: ja")).toBeNull();
  });

  it("writes form problems in Japanese", () => {
    const result = parseForm("name: ''\nbody:\n  - type: slider\n  - type: dropdown\n    attributes: { label: E, options: [a, '', a] }\n", "f.yml", "ja");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toEqual([
      "トップレベルの 'name' は必須です。空でない文字列を書いてください",
      "トップレベルの 'description' は必須です。空でない文字列を書いてください",
      'body[0] の type "slider" は使えません。markdown、textarea、input、dropdown、checkboxes のどれかにしてください',
      "ドロップダウン 'E' の2番目の選択肢は、空でない文字列にしてください",
      "ドロップダウン 'E' に選択肢 'a' が2回あります。選択肢は重複できません",
    ]);
    expectJapanese(result.problems.map((p) => p.message));
  });
});

describe("English stays as it was", () => {
  it("lint prints the same English text for an incomplete body", async () => {
    const file = path("bodies/incomplete.md");
    const r = await run("lint", file, ...NOW);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        `${file}: 8 problem(s)`,
        "  severity [required] Severity is required but empty. Choose one of `SEV1`, `SEV2`, `SEV3`, `SEV4`.",
        "  impact [required] Impact is required but empty. Write it under the `### Impact` heading (replace `_No response_`).",
        "  trigger [required] Trigger is required but empty. Write it under the `### Trigger` heading (replace `_No response_`).",
        "  detection [required] Detection is required but empty. Write it under the `### Detection` heading (replace `_No response_`).",
        "  action-items [required] Action items is required but empty. Write it under the `### Action items` heading (replace `_No response_`).",
        "  went-well [required] What went well is required but empty. Write it under the `### What went well` heading (replace `_No response_`).",
        "  blameless [checkbox-required] Blameless review: `This postmortem is blameless: it describes systems and decisions, not people at…` must be ticked. Tick it with `- [x]`.",
        "  recovered [timestamp-order] Recovered is earlier than Detected. Times must be in order: Impact started ≤ Detected ≤ Mitigated ≤ Recovered; check dates and zones.",
        "  TTD 12m  [time to detect = detected − impact started]",
        "  TTR 7m  [time to recover = recovered − impact started]",
        "  TTM - (no mitigated time given)  [time to mitigate = mitigated − impact started]",
        "  TTD = Detected − Impact started",
        "  TTR = Recovered − Impact started",
        "  TTM = Mitigated − Impact started",
      ].join("\n"),
    );
  });

  it("setup problems keep their English texts, zod's included", async () => {
    const result = await loadSetup(org({ [CONFIG]: "lable: x\nseverities: []\nlabels: { ready: '' }\nfields: { severity: 3 }\nreading_list: { reasons: { Bad_Key: x } }\ntimezone: Mars/Olympus" }), ref);
    expect(result).toEqual({
      ok: false,
      config: null,
      language: "en",
      problems: [
        { file: CONFIG, line: 3, message: "'labels.ready' Too small: expected string to have >=1 characters" },
        { file: CONFIG, line: 4, message: "'fields.severity' Invalid input" },
        { file: CONFIG, line: 6, message: "'timezone' must be an IANA time zone such as Asia/Tokyo or UTC" },
        { file: CONFIG, line: 2, message: "'severities' Too small: expected array to have >=1 items" },
        { file: CONFIG, line: 5, message: "'reading_list.reasons.Bad_Key' Invalid key in record" },
        { file: CONFIG, line: 1, message: "unknown key 'lable'; see schema/postmortem.schema.json for the keys" },
      ],
    });
  });

  it("the usage errors read as before", async () => {
    expect((await run("lint", "x.md", "--bogus")).err).toMatch(/^Unknown option '--bogus'\. To specify a positional argument/);
    expect((await run("init", "a.yml", "--lang", "fr")).err.split("\n")[0]).toBe("--lang must be en or ja");
    expect((await run("sweep", "x")).err.split("\n")[0]).toBe("sweep takes no arguments");
    expect((await run("lint", "/does/not/exist.md")).err).toMatch(/^cannot read \/does\/not\/exist\.md: ENOENT: no such file or directory/);
  });
});
