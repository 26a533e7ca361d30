import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { composeDigest, meetingOf, readDigestState, type DigestPostmortem } from "../../src/postmortem/digest.js";

const THURSDAY = new Date("2026-12-03T12:00:00Z");

describe("meetingOf", () => {
  it("finds the latest meeting on or before today and the one before (hand-worked on Thursday 2026-12-03)", () => {
    expect(meetingOf(THURSDAY, "UTC", "weekly", "monday")).toEqual({ date: "2026-11-30", previous: "2026-11-23" });
    expect(meetingOf(THURSDAY, "UTC", "weekly", "thursday")).toEqual({ date: "2026-12-03", previous: "2026-11-26" });
    // 2026-11-30 is in ISO week 49 (odd), so the biweekly Monday is 2026-11-23 (week 48).
    expect(meetingOf(THURSDAY, "UTC", "biweekly", "monday")).toEqual({ date: "2026-11-23", previous: "2026-11-09" });
    // The first Monday of December 2026 is the 7th, still ahead: November's (the 2nd), and October's (the 5th).
    expect(meetingOf(THURSDAY, "UTC", "monthly", "monday")).toEqual({ date: "2026-11-02", previous: "2026-10-05" });
  });

  it("counts days in the config's time zone", () => {
    const lateThursday = new Date("2026-12-03T20:00:00Z"); // Friday 05:00 in Tokyo
    expect(meetingOf(lateThursday, "Asia/Tokyo", "weekly", "friday").date).toBe("2026-12-04");
    expect(meetingOf(lateThursday, "UTC", "weekly", "friday").date).toBe("2026-11-27");
  });
});

describe("composeDigest", () => {
  const config = configSchema.parse({ sharing_meeting: { weekday: "monday" } });
  const meeting = { date: "2026-11-30", previous: "2026-11-23" };
  const pm = (n: number, fields: Partial<DigestPostmortem>): DigestPostmortem => ({
    ref: `acme/pm#${n}`,
    title: `Incident ${n}`,
    url: `https://github.com/acme/pm/issues/${n}`,
    createdAt: "2026-11-25T00:00:00Z",
    severity: "SEV2",
    ttdSeconds: 720,
    ttrSeconds: 5880,
    startedAt: Date.parse("2026-11-20T05:00:00Z"),
    firstSentence: "Checkout failed.",
    openFollowUps: [],
    published: true,
    recommended: false,
    ...fields,
  });

  it("lists what was published and not listed by an earlier digest, overdue follow-ups of the period, and an anniversary", () => {
    const postmortems = [
      pm(1, { openFollowUps: [{ ref: "acme/backend#4", text: "Time out calls" }] }),
      pm(2, {}),
      pm(3, { published: false }),
      pm(4, { createdAt: "2024-11-27T00:00:00Z", startedAt: Date.parse("2024-11-26T03:00:00Z") }),
    ];
    const overdue = [
      { title: "Renew the certificate", url: "https://github.com/acme/sre/issues/9", due: "2026-11-24", owner: "sre" },
      { title: "Old one", url: "https://github.com/acme/sre/issues/3", due: "2026-11-01", owner: "sre" },
    ];
    const earlier = [{ v: 1 as const, date: "2026-11-23", listed: ["acme/pm#2"], picked: null }];
    const { title, body, state } = composeDigest({ meeting, postmortems, overdue, earlier, config });
    expect(title).toBe("Postmortem sharing meeting — 2026-11-30");
    expect(state).toEqual({ v: 1, date: "2026-11-30", listed: ["acme/pm#1"], picked: "acme/pm#4" });
    expect(readDigestState(body)).toEqual(state);
    expect(body.split("\n").slice(1)).toEqual([
      "For the sharing meeting on 2026-11-30: what happened since the meeting on 2026-11-23. Kept current by postmortem-bot until the next meeting.",
      "",
      "### Published since the last meeting (1)",
      "",
      "- [Incident 1](https://github.com/acme/pm/issues/1) (`acme/pm#1`) — SEV2 · TTD 12m · TTR 1h 38m",
      "  > Checkout failed.",
      "  - Open follow-ups: acme/backend#4 `Time out calls`",
      "",
      "<sub>TTD: time to detect = detected − impact started. TTR: time to recover = recovered − impact started.</sub>",
      "",
      "### Follow-ups that became overdue",
      "",
      "- [Renew the certificate](https://github.com/acme/sre/issues/9) — due 2026-11-24, sre",
      "",
      "### From the archive",
      "",
      "- [Incident 4](https://github.com/acme/pm/issues/4) (`acme/pm#4`) — An anniversary: this incident began on 2024-11-26.",
    ]);
    // The same inputs give the same text: an unchanged digest writes nothing.
    expect(composeDigest({ meeting, postmortems, overdue, earlier, config }).body).toBe(body);
  });

  it("picks an unread recommendation when no anniversary falls in the period, and never one picked before", () => {
    const postmortems = [pm(5, { recommended: true, createdAt: "2025-01-01T00:00:00Z" }), pm(6, { recommended: true, createdAt: "2025-02-01T00:00:00Z" })];
    const earlier = [{ v: 1 as const, date: "2026-11-23", listed: ["acme/pm#5", "acme/pm#6"], picked: "acme/pm#5" }];
    const { state, body } = composeDigest({ meeting, postmortems, overdue: [], earlier, config });
    expect(state.picked).toBe("acme/pm#6");
    expect(body).toContain("No postmortem was published since the last meeting.");
    expect(body).toContain("— Recommended reading that no earlier meeting picked.");
  });

  it("writes Japanese for language: ja", () => {
    const ja = configSchema.parse({ language: "ja", sharing_meeting: {} });
    const { title, body } = composeDigest({ meeting, postmortems: [pm(1, {})], overdue: [], earlier: [], config: ja });
    expect(title).toBe("ポストモーテム共有会 — 2026-11-30");
    expect(body).toContain("### 前回以降に公開されたポストモーテム（1件）");
    expect(body).toContain("重大度 SEV2 · TTD（検知まで） 12分 · TTR（復旧まで） 1時間38分");
  });
});
