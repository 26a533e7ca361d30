import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import {
  overdueDigestMessage,
  publishedMessage,
  recommendedMessage,
  SlackNotifier,
  type OverdueItem,
  type PublishedNotice,
  type RecommendedNotice,
  type SlackLog,
  type SlackMessage,
} from "../../src/integrations/slack.js";

/** Common English words: none may appear in the Japanese texts (user text aside). */
const ENGLISH = /\b(the|is|are|not|and|to|of|was|due|more|published|reading|reason|severity|action|items|given|recommended|by|follow-ups?)\b/i;

/** Every text of a message (its fallback, headers, sections, fields, context). */
function texts(message: SlackMessage): string[] {
  return [
    message.text,
    ...message.blocks.flatMap((b) => ("fields" in b ? b.fields.map((f) => f.text) : "elements" in b ? b.elements.map((e) => e.text) : [b.text.text])),
  ];
}

const published: PublishedNotice = {
  owner: "acme",
  repo: "api",
  number: 42,
  title: "決済の障害",
  url: "https://github.com/acme/api/issues/42",
  severity: "SEV1",
  ttdSeconds: 12 * 60,
  ttrSeconds: 98 * 60,
  actionItems: 3,
  ttrFrom: "started",
  language: "ja",
};

const recommended: RecommendedNotice = {
  owner: "acme",
  repo: "api",
  number: 42,
  title: "決済の障害",
  url: "https://github.com/acme/api/issues/42",
  reason: "lessons",
  reasonDescription: "学びが多い",
  by: "@kenji",
  language: "ja",
};

const items: OverdueItem[] = [
  { title: "キューの深さにアラートを追加する", url: "https://github.com/acme/payments/issues/7", due: "2026-11-30", owner: "@acme/payments" },
  { title: "鍵をローテーションする", url: "https://github.com/acme/infra/issues/3", due: "2026-11-02", owner: "@bob" },
];

describe("Slack notices in Japanese", () => {
  it("the published notice: Japanese labels, Japanese durations, Japanese definitions", () => {
    expect(publishedMessage(published)).toEqual({
      text: "ポストモーテムが公開されました: acme/api#42 決済の障害",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "ポストモーテムが公開されました: acme/api#42" } },
        { type: "section", text: { type: "mrkdwn", text: "*<https://github.com/acme/api/issues/42|決済の障害>*" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*重大度*\nSEV1" },
            { type: "mrkdwn", text: "*アクションアイテム*\n3" },
            { type: "mrkdwn", text: "*TTD*\n12分" },
            { type: "mrkdwn", text: "*TTR*\n1時間38分" },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "TTD = 検知 − 影響開始、TTR = 復旧 − 影響開始" }] },
      ],
    });
    const detected = publishedMessage({ ...published, ttrFrom: "detected", severity: null, ttdSeconds: null, ttrSeconds: 45 });
    expect(detected.blocks[2]).toMatchObject({ fields: [{ text: "*重大度*\n未記入" }, {}, { text: "*TTD*\n—" }, { text: "*TTR*\n45秒" }] });
    expect(detected.blocks[3]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "TTD = 検知 − 影響開始、TTR = 復旧 − 検知（metrics.ttr_from: detected）" }] });
    for (const text of texts(publishedMessage(published))) expect(text).not.toMatch(ENGLISH);
  });

  it("the recommended notice", () => {
    const message = recommendedMessage(recommended);
    expect(message.text).toBe("おすすめのポストモーテム: acme/api#42 決済の障害");
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "おすすめのポストモーテム: acme/api#42" } });
    expect(message.blocks[2]).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*理由*\nlessons — 学びが多い" },
        { type: "mrkdwn", text: "*推薦した人*\nkenji" },
      ],
    });
    expect(message.blocks[3]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "ポストモーテムのリーディングリストに追加しました。" }] });
    // The reason key is a config key, shown as written; everything around it is Japanese.
    for (const text of texts(message)) expect(text.replace("lessons", "")).not.toMatch(ENGLISH);
  });

  it("the weekly overdue digest, most overdue first, with Japanese dates", () => {
    expect(overdueDigestMessage("acme", items, { language: "ja" })).toEqual({
      text: "acme で期限を過ぎたポストモーテムのフォローアップが2件あります",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "acme の期限を過ぎたポストモーテムのフォローアップ" } },
        { type: "section", text: { type: "mrkdwn", text: "*期限を過ぎたフォローアップが2件あります。*" } },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "• <https://github.com/acme/infra/issues/3|鍵をローテーションする> — 期限 2026年11月2日・担当 @\u200bbob",
              "• <https://github.com/acme/payments/issues/7|キューの深さにアラートを追加する> — 期限 2026年11月30日・担当 @\u200bacme/payments",
            ].join("\n"),
          },
        },
      ],
    });
    for (const text of texts(overdueDigestMessage("acme", items, { language: "ja" }))) expect(text).not.toMatch(ENGLISH);
  });

  it("counts what the digest leaves out, in Japanese, and keeps Slack's limits", () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ title: `${"あ".repeat(140)}${i}`, url: `https://github.com/acme/api/issues/${i + 1}`, due: `2026-01-${String(i + 1).padStart(2, "0")}`, owner: "@acme/sre" }));
    const message = overdueDigestMessage("acme", many, { language: "ja" });
    expect(message.blocks.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "…ほか5件" }] });
    const lines = message.blocks.flatMap((b) => (b.type === "section" && "text" in b ? b.text.text.split("\n") : [])).filter((l) => l.startsWith("•"));
    expect(lines).toHaveLength(20);
    expect(lines[0]).toContain("期限 2026年1月1日");
    for (const b of message.blocks) if (b.type === "section" && "text" in b) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    // A header is at most 150 characters, Japanese ones too.
    const long = overdueDigestMessage("あ".repeat(200), many, { language: "ja" }).blocks[0] as { text: { text: string } };
    expect(Array.from(long.text.text)).toHaveLength(150);
  });

  it("in English, the same notices read as they always did", () => {
    expect(publishedMessage({ ...published, language: "en" }).blocks[2]).toMatchObject({ fields: [{ text: "*Severity*\nSEV1" }, { text: "*Action items*\n3" }, { text: "*TTD*\n12m" }, { text: "*TTR*\n1h 38m" }] });
    expect(recommendedMessage({ ...recommended, language: "en" }).text).toBe("Recommended reading: acme/api#42 決済の障害");
    const digest = overdueDigestMessage("acme", items);
    expect(digest.text).toBe("2 overdue postmortem follow-ups in acme");
    expect(digest.blocks[2]).toMatchObject({ text: { text: expect.stringContaining("— due 2026-11-02 · @\u200bbob") } });
  });
});

describe("the notifier sends the digest in the language it is given", () => {
  const HOOK = "https://hooks.slack.com/services/TJA/BJA/ja-secret-token";
  const log: SlackLog = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  afterEach(() => {
    nock.cleanAll();
  });

  it("posts exactly the Japanese digest", async () => {
    let posted: unknown;
    const scope = nock("https://hooks.slack.com")
      .post("/services/TJA/BJA/ja-secret-token", (b: unknown) => ((posted = b), true))
      .reply(200, "ok");
    const slack = new SlackNotifier({ owners: new Map([["acme", HOOK]]), fallback: null }, { log, sleep: async () => {} });
    await expect(slack.overdueDigest("acme", items, "ja")).resolves.toEqual({ outcome: "sent", attempts: 1 });
    expect(scope.isDone()).toBe(true);
    expect(posted).toEqual(JSON.parse(JSON.stringify(overdueDigestMessage("acme", items, { language: "ja" }))));
  });
});
