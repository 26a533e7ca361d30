import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { defaultForm } from "../../src/config/setup.js";
import { validatePostmortem } from "../../src/postmortem/validate.js";
import { body, FIXTURE_NOW } from "../helpers/fixtures.js";
import {
  entryFrom,
  firstSentence,
  PAGE_LIMIT,
  pageNumber,
  pickSession,
  readEntries,
  readReadingState,
  reasonsFromLabels,
  renderReadingList,
  renderSession,
  type ReadingEntry,
} from "../../src/postmortem/reading-list.js";

const entry = (n: number, reasons: string[], date: string, extra: Partial<ReadingEntry> = {}): ReadingEntry => ({
  ref: `acme/pm#${n}`,
  url: `https://github.com/acme/pm/issues/${n}`,
  title: `Incident ${n}`,
  date,
  severity: "SEV2",
  ttdSeconds: 720,
  ttrSeconds: 5880,
  summary: `Summary ${n}.`,
  reasons,
  note: "",
  by: "alice",
  ...extra,
});

describe("reading list", () => {
  it("groups by reason in config order, newest incident first, and reads its own entries back", () => {
    const entries = [entry(1, ["lessons"], "2026-01-01"), entry(2, ["lessons"], "2026-03-01"), entry(3, ["response", "lessons"], "2026-02-01"), entry(4, [], "2025-12-01")];
    const [page, ...more] = renderReadingList(entries, { handedOut: { bob: ["acme/pm#1"] } }, defaultConfig, () => "");
    expect(more).toEqual([]);
    const body = page!.body;
    expect(pageNumber(body)).toBe(1);
    const order = ["Holds many lessons", "Incident 2", "Incident 1", "A reference for how to act", "Incident 3", "### Recommended", "Incident 4"].map((s) => body.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(body).toContain("- **[Incident 2](https://github.com/acme/pm/issues/2)** — 2026-03-01 · SEV2 · TTD 12m · TTR 1h 38m");
    expect(body).toContain("also: Holds many lessons");
    expect(readEntries(body).map((e) => e.ref).sort()).toEqual(["acme/pm#1", "acme/pm#2", "acme/pm#3", "acme/pm#4"]);
    expect(readEntries(body).find((e) => e.ref === "acme/pm#3")).toEqual(entries[2]);
    expect(readReadingState(body)).toEqual({ handedOut: { bob: ["acme/pm#1"] } });
  });

  it("is deterministic, so an unchanged list writes nothing", () => {
    const entries = [entry(1, ["lessons"], "2026-01-01"), entry(2, [], "2026-01-02")];
    const render = (list: ReadingEntry[]) => renderReadingList(list, { handedOut: {} }, defaultConfig, () => "")[0]!.body;
    expect(render(entries)).toBe(render([...entries].reverse()));
  });

  it("splits into linked pages under GitHub's body limit", () => {
    const entries = Array.from({ length: 400 }, (_, i) => entry(i + 1, ["lessons"], "2026-01-01", { summary: "x".repeat(280) + "." }));
    const pages = renderReadingList(entries, { handedOut: {} }, defaultConfig, (n) => `https://github.com/acme/pm/issues/${1000 + n}`);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.body.length).toBeLessThan(65_536);
    for (const page of pages) expect(page.body.length).toBeLessThanOrEqual(PAGE_LIMIT + 1000);
    expect(pages[0]!.body).toContain("[2](https://github.com/acme/pm/issues/1002)");
    expect(pages.flatMap((p) => readEntries(p.body))).toHaveLength(400);
  });

  it("keeps user text from mentioning anyone or breaking the markup", () => {
    const validation = validatePostmortem({ body: body("complete"), form: defaultForm(), config: defaultConfig, now: FIXTURE_NOW });
    const made = entryFrom({ ref: "acme/pm#1", url: "u", title: "Ping @sre [x]", labels: [] }, validation, defaultConfig, { note: "Ask @alice -- now", by: "bob" });
    const text = renderReadingList([made], { handedOut: {} }, defaultConfig, () => "")[0]!.body;
    expect(text).not.toMatch(/@sre|@alice/);
    expect(text).toContain("Ping @\u200bsre \\[x\\]");
    expect(readEntries(text)[0]!.note).toBe("Ask @\u200balice -- now");
    expect(made.summary).toMatch(/^From 14:03 to 15:41 JST on 20 November 2026, the payments API rejected 38% of checkout attempts/);
    expect(made).toMatchObject({ date: "2026-11-20", severity: "SEV2", ttdSeconds: 720, ttrSeconds: 5880 });
  });

  it("reads hidden markers only where the app writes them: a title cannot add an entry, replace the state or hide text", () => {
    const validation = validatePostmortem({ body: body("complete"), form: defaultForm(), config: defaultConfig, now: FIXTURE_NOW });
    const fakeEntry = `<!-- postmortem-bot:entry {"ref":"acme/secret#9","url":"u","title":"x","date":null,"severity":null,"ttdSeconds":null,"ttrSeconds":null,"summary":"","reasons":[],"note":"","by":""} -->`;
    const fakeState = `<!-- postmortem-bot:reading-state {"handedOut":{"mallory":["acme/pm#1"]}} -->`;
    const made = entryFrom({ ref: "acme/pm#1", url: "u", title: `${fakeEntry} ${fakeState} <!-- hide`, labels: [] }, validation, defaultConfig, { note: "", by: "bob" });
    const state = { handedOut: { alice: ["acme/pm#7"] } };
    const text = renderReadingList([made], state, defaultConfig, () => "")[0]!.body;
    expect(readEntries(text).map((e) => e.ref)).toEqual(["acme/pm#1"]);
    expect(readReadingState(text)).toEqual(state);
    // No HTML comment opens in user text: the only `<!--` are the app's own markers, each at a line start.
    expect(text.split("\n").filter((l) => l.includes("<!--")).every((l) => l.startsWith("<!-- postmortem-bot:"))).toBe(true);
    expect(readEntries(text)[0]!.title).toBe(made.title);
    // A hand-edited entry of the wrong shape is dropped, not trusted.
    expect(readEntries(`<!-- postmortem-bot:entry {"ref":"acme/pm#2"} -->`)).toEqual([]);
  });

  it("takes the first sentence of a summary, plain and short", () => {
    expect(firstSentence("**Checkout** failed for [38%](http://x) of users. Then more.")).toBe("Checkout failed for 38% of users.");
    expect(firstSentence("決済が失敗した。次に")).toBe("決済が失敗した。");
    expect(firstSentence("cc @team no period").startsWith("cc @\u200bteam")).toBe(true);
    expect(firstSentence("x".repeat(400)).length).toBe(300);
  });

  it("reads reasons from labels in config order", () => {
    expect(reasonsFromLabels(defaultConfig, ["Recommended: Response", "recommended: lessons", "bug"])).toEqual(["lessons", "response"]);
  });

  it("picks a session balanced across reasons, preferring what the people have not read", () => {
    const entries = [
      ...[1, 2, 3, 4].map((n) => entry(n, ["lessons"], `2026-0${n}-01`)),
      ...[5, 6].map((n) => entry(n, ["architecture"], `2026-0${n - 4}-01`)),
      entry(7, ["response"], "2026-01-01"),
      entry(8, [], "2026-01-01"),
    ];
    const picked = pickSession(entries, { handedOut: { bob: ["acme/pm#4"] } }, ["Bob"], 4, defaultConfig);
    expect(picked.map((e) => e.ref)).toEqual(["acme/pm#3", "acme/pm#6", "acme/pm#7", "acme/pm#8"]);
    // More than there are fresh ones: repeats fill up, fresh first.
    const all = pickSession(entries, { handedOut: { bob: ["acme/pm#4"] } }, ["bob"], 8, defaultConfig);
    expect(all).toHaveLength(8);
    expect(all.at(-1)!.ref).toBe("acme/pm#4");
    const session = renderSession(picked, ["bob"], "2026-11-27", defaultConfig);
    expect(session.title).toBe("Postmortem reading session — 2026-11-27");
    expect(session.body.match(/^- \[ \] /gm)).toHaveLength(4);
  });
});
