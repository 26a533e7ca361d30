import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../src/postmortem/metrics.js";
import { isStatusComment, readState, renderStatusComment, STATUS_MARKER, writeState } from "../../src/postmortem/status.js";
import { neutralizeMentions, quote } from "../../src/postmortem/text.js";

const metrics = computeMetrics({ startedAt: 0, detectedAt: 12 * 60_000, recoveredAt: 98 * 60_000 }, "started");

describe("status comment", () => {
  it("starts with the marker and shows each metric with its definition", () => {
    const text = renderStatusComment({ status: "ready", problems: [], metrics, zone: "Asia/Tokyo" }, { v: 1, status: "ready" });
    expect(isStatusComment(text)).toBe(true);
    expect(text.startsWith(STATUS_MARKER)).toBe(true);
    expect(text).toContain("✅ ready");
    expect(text).toContain("| TTD | 12m | time to detect = detected − impact started |");
    expect(text).toContain("| TTR | 1h 38m | time to recover = recovered − impact started |");
    expect(text).toContain("| TTM | — (no mitigated time given) | time to mitigate = mitigated − impact started |");
    expect(text).toContain("read in Asia/Tokyo");
  });

  it("lists every problem and counts them", () => {
    const problems = [
      { field: "severity", code: "required" as const, message: "**Severity** is required but empty." },
      { field: "impact", code: "required" as const, message: "**Impact** is required but empty." },
    ];
    const text = renderStatusComment({ status: "incomplete", problems, metrics, zone: "UTC" }, { v: 1, status: "incomplete" });
    expect(text).toContain("❌ 2 problems to fix");
    expect(text).toContain("- **Severity** is required but empty.\n- **Impact** is required but empty.");
  });

  it("names file and line for a broken setup, without mentioning anyone", () => {
    const text = renderStatusComment(
      { status: "error", fileProblems: [{ file: "acme/x:.github/postmortem.yml", line: 3, message: "unknown key '@acme/sre'" }] },
      { v: 1, status: "error" },
    );
    expect(text).toContain("`acme/x:.github/postmortem.yml` line 3: unknown key '@\u200bacme/sre'");
  });

  it("is deterministic, so an unchanged check writes nothing", () => {
    const render = () => renderStatusComment({ status: "ready", problems: [], metrics, zone: "UTC" }, { v: 1, status: "ready" });
    expect(render()).toBe(render());
  });

  it("round-trips hidden state, even text that would close an HTML comment", () => {
    const state = { v: 1 as const, status: "ready" as const, note: "a -- b --> c ---- <!-- d", n: -1 };
    const written = writeState(state);
    expect(written.slice(4, -3)).not.toContain("--");
    expect(readState(`${STATUS_MARKER}\ntext\n${written}`)).toEqual(state);
  });

  it("ignores state that is missing, hand-edited or of another version", () => {
    expect(readState(null)).toBeNull();
    expect(readState("no state here")).toBeNull();
    expect(readState("<!-- postmortem-bot:state {broken -->")).toBeNull();
    expect(readState('<!-- postmortem-bot:state {"v":2} -->')).toBeNull();
  });
});

describe("hidden state against user text", () => {
  it("an item's text cannot hide the rest of the comment, mention anyone, or stand in for the state", () => {
    const state = { v: 1 as const, status: "ready" as const };
    const fake = `<!-- postmortem-bot:state {"v":1,"status":"ready","followUps":{"published":true,"items":{}}} -->`;
    const text = renderStatusComment(
      {
        status: "ready",
        problems: [],
        metrics,
        zone: "UTC",
        followUps: { state: { published: true, items: { k: { ref: "acme/pm#2", state: "open", text: `Ping @alice <!-- hide ${fake}` } } }, notices: [] },
      },
      state,
    );
    expect(text).toContain("Ping @\u200balice &lt;!-- hide &lt;!-- postmortem-bot:state");
    expect(text.split("\n").filter((l) => l.includes("<!--"))).toEqual([STATUS_MARKER, writeState(state)]);
    expect(readState(text)).toEqual(state);
    // Written anywhere but a line start, a marker is never read.
    expect(readState(`${STATUS_MARKER}\nsee ${fake}`)).toBeNull();
  });

  it("stays under GitHub's 65,536 characters with 2,000 follow-ups and 500 notices, and says what it left out", () => {
    const items = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, { ref: `acme/backend#${i + 1}`, state: "open" as const, text: `Action item number ${i} ${"x".repeat(150)}` }]));
    const notices = Array.from({ length: 500 }, (_, i) => `Item ${i} was not filed: ${"y".repeat(300)}`);
    const text = renderStatusComment({ status: "ready", problems: [], metrics, zone: "UTC", followUps: { state: { published: true, items: {} }, notices } }, { v: 1, status: "ready" });
    const withItems = renderStatusComment({ status: "ready", problems: [], metrics, zone: "UTC", followUps: { state: { published: true, items }, notices } }, { v: 1, status: "ready" });
    for (const t of [text, withItems]) expect(t.length).toBeLessThan(65_536);
    // Follow-ups have 12,000 characters: a line is 199 characters plus the digits of N twice (and a newline),
    // so items 1-9 take 202, item 10 takes 203, later ones 204: 2,021 + 48 × 204 = 11,813, and the next does not fit. 58 shown.
    expect(withItems).toMatch(/…and 1942 more follow-ups, not listed here/);
    // Notices: 8,000 characters of about 340 each: 23 fit, but at most 20 are shown.
    expect(text).toContain("480 more notices are not shown");
  });

  it("rejects a remembered state of the wrong shape", () => {
    expect(readState('<!-- postmortem-bot:state {"v":1,"status":"published"} -->')).toBeNull();
  });
});

describe("echoed user text", () => {
  it("cannot mention users or teams", () => {
    expect(neutralizeMentions("ping @alice and @acme/sre, mail a@b.c")).toBe("ping @\u200balice and @\u200bacme/sre, mail a@\u200bb.c");
  });

  it("stays one short inline code span", () => {
    expect(quote("a `b`\nc")).toBe("`a 'b' c`");
    expect(quote("x".repeat(100)).length).toBeLessThanOrEqual(62);
  });
});
