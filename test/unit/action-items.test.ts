import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { checkActionItems, formatReference, itemKey, parseActionItems, parseReference, resolveOwner } from "../../src/postmortem/action-items.js";
import { runs } from "../helpers/fuzz.js";
import { body, configFixture } from "../helpers/fixtures.js";

const home = { owner: "acme", repo: "incidents" };
const teams = configFixture("configs/teams.yml");

function section(text: string, heading: string) {
  const start = text.indexOf(heading) + heading.length;
  const rest = text.slice(start);
  const end = rest.search(/\n\n### /);
  const answer = rest.slice(0, end).replace(/^\s+/, "");
  return { answer, offset: text.indexOf(answer, start) };
}

describe("parseActionItems", () => {
  it("reads a task list: text, owner, type, due, and where each checkbox is", () => {
    const text = body("complete");
    const { answer, offset } = section(text, "### Action items");
    const { items } = parseActionItems(answer, offset, home);
    expect(items.map((i) => [i.text.slice(0, 30), i.owner, i.type, i.due, i.checked])).toEqual([
      ["Alert on checkout error rate o", "backend", "detect", "2026-12-15", false],
      ["Add downstream services (payme", "@acme/sre", "process", null, false],
      ["Route payment provider calls t", "acme/infra", "prevent", null, false],
    ]);
    for (const item of items) {
      expect(text[item.checkbox!]).toBe(" ");
      expect(text.slice(item.line.start, item.line.start + 6)).toBe("- [ ] ");
      expect(text[item.line.end]).toMatch(/[\r\n]/);
    }
  });

  it("recognises existing tracking references at the end of a line", () => {
    const text = body("tricky");
    const { answer, offset } = section(text, "### Action items");
    const { items } = parseActionItems(answer, offset, home);
    expect(items.map((i) => i.ref)).toEqual([null, { owner: "acme", repo: "infra", number: 12 }, { owner: "acme", repo: "infra", number: 15 }]);
    expect(items[1]!.type).toBe("detect");
    expect(items[2]!.checked).toBe(true);
  });

  it("reads an SRE-book table by header name, in any order and case", () => {
    const text = body("acme-complete");
    const { answer, offset } = section(text, "### Follow-ups");
    const { items } = parseActionItems(answer, offset, home);
    expect(items.map((i) => [i.text, i.type, i.owner, i.ref])).toEqual([
      ["Alert when any search data node passes 80% disk", "detect", "@acme/search", null],
      ["Cap search fan-out per request at 8 shards", "prevent", "acme/search-service", { owner: "acme", repo: "search-service", number: 231 }],
      ["Document the shard rebalancing procedure", "process", "sre", null],
    ]);
    const first = items[0]!;
    expect(text.slice(first.issueCell!.start, first.issueCell!.end)).toBe(" ");
    const reordered = "| owner | ISSUE | Action |\n| - | - | - |\n| sre | #4 | Do it |";
    expect(parseActionItems(reordered, 0, home).items[0]).toMatchObject({ text: "Do it", owner: "sre", ref: { owner: "acme", repo: "incidents", number: 4 } });
  });

  it("keeps the same key when only the link is added, and a different key for other text", () => {
    const a = parseActionItems("- [ ] Fix the pool owner: backend", 0, home).items[0]!;
    const b = parseActionItems("- [ ] Fix the pool owner: backend acme/backend#9", 0, home).items[0]!;
    const c = parseActionItems("- [ ] Fix the  POOL — owner: backend", 0, home).items[0]!;
    const d = parseActionItems("- [ ] Fix the queue owner: backend", 0, home).items[0]!;
    expect(b.key).toBe(a.key);
    expect(c.key).toBe(a.key);
    expect(d.key).not.toBe(a.key);
    expect(b.ref).toEqual({ owner: "acme", repo: "backend", number: 9 });
  });

  it("reads a plain bullet as an item and skips prose", () => {
    const { items } = parseActionItems("- [ ] ok owner: x\n- not a task\n\nsome prose", 0, home);
    expect(items.map((i) => [i.kind, i.text, i.owner, i.checked])).toEqual([
      ["task", "ok", "x", false],
      ["list", "not a task", null, null],
    ]);
  });
});

describe("action items as people write them", () => {
  const withPlatform = { ...teams, teams: { ...teams.teams, "platform-team": { repo: "acme/platform", labels: [], assignees: [], handles: [] } } };
  const parts = (answer: string, config = withPlatform) =>
    parseActionItems(answer, 0, home, config).items.map((i) => ({
      kind: i.kind,
      text: i.text,
      owner: i.owner,
      type: i.type,
      due: i.due,
      ref: i.ref && `${i.ref.owner}/${i.ref.repo}#${i.ref.number}`,
      checked: i.checked,
    }));

  it.each([
    ["- [detect] platform-team — alarm on p99 latency — #412", { kind: "list", text: "alarm on p99 latency", owner: "platform-team", type: "detect", due: null, ref: "acme/incidents#412", checked: null }],
    ["- [ ] [mitigate] Add a circuit breaker owner: sre due: 2026/12/01", { kind: "task", text: "Add a circuit breaker", owner: "sre", type: "mitigate", due: "2026-12-01", ref: null, checked: false }],
    ["- [X] Rotate the keys 担当：sre 期限：２０２６/１２/０１", { kind: "task", text: "Rotate the keys", owner: "sre", type: null, due: "2026-12-01", ref: null, checked: true }],
    ["1. 監視を追加する 担当者: @acme/sre", { kind: "list", text: "監視を追加する", owner: "@acme/sre", type: null, due: null, ref: null, checked: null }],
    ["2) Ask @alice about the pool (acme/infra#3)", { kind: "list", text: "Ask @alice about the pool", owner: "@alice", type: null, due: null, ref: "acme/infra#3", checked: null }],
    ["* Alarm on disk | @acme/sre | https://github.com/acme/infra/issues/9", { kind: "list", text: "Alarm on disk", owner: "@acme/sre", type: null, due: null, ref: "acme/infra#9", checked: null }],
    ["+ Move the backups to platform-team's bucket", { kind: "list", text: "Move the backups to platform-team's bucket", owner: "platform-team", type: null, due: null, ref: null, checked: null }],
    ["- Page PLATFORM-TEAM on queue depth", { kind: "list", text: "Page PLATFORM-TEAM on queue depth", owner: "PLATFORM-TEAM", type: null, due: null, ref: null, checked: null }],
  ])("reads %s", (answer, expected) => {
    expect(parts(answer)).toEqual([expected]);
  });

  it("joins continuation lines to their item, keeps the first line for the link, and skips prose", () => {
    const answer = "Agreed in the review:\r\n\r\n- [ ] Fix the pool\r\n  owner: sre\r\n  and its alarm\r\n- [x] Drop the cache — @bob\r\nlazy line\r\n\r\nThanks all.";
    const items = parseActionItems(answer, 100, home, teams).items;
    expect(items.map((i) => [i.text, i.owner, i.checked])).toEqual([
      ["Fix the pool and its alarm", "sre", false],
      ["Drop the cache lazy line", "@bob", true],
    ]);
    expect(items.map((i) => answer.slice(i.line.start - 100, i.line.end - 100))).toEqual(["- [ ] Fix the pool", "- [x] Drop the cache — @bob"]);
    expect(items.map((i) => answer[i.checkbox! - 100])).toEqual([" ", "x"]);
  });

  it("reads a tracking reference at the end of the first line once the app has written it there", () => {
    expect(parts("- Fix the pool acme/sre#5\n  owner: sre")).toEqual([
      { kind: "list", text: "Fix the pool", owner: "sre", type: null, due: null, ref: "acme/sre#5", checked: null },
    ]);
  });

  it.each([
    ["line by line", ""],
    ["with mdast (a table follows)", "\n\n| Action | Owner |\n| - | - |\n| Cap writes | sre |"],
  ])("reads nested task items as items, and a plain item over them as a heading (%s)", (_, after) => {
    const answer = `- Detect\n  - [ ] Alarm on p99 owner: sre\n    on every region\n  - [x] Page on errors owner: sre\n- Cap fan-out owner: backend\n  - one detail${after}`;
    expect(parseActionItems(answer, 0, home, teams).items.map((i) => [i.index, i.kind, i.text, i.checked])).toEqual([
      [0, "task", "Alarm on p99 on every region", false],
      [1, "task", "Page on errors", true],
      [2, "list", "Cap fan-out one detail", null],
      ...(after ? [[3, "table", "Cap writes", null]] : []),
    ]);
  });

  it("keeps the keys of items written the old way, whatever else is now read from them", () => {
    const old = [
      ["- [ ] Fix the pool owner: backend", "Fix the pool", "backend"],
      ["- [ ] [detect] Alarm on p99 — owner: sre type: detect", "[detect] Alarm on p99", "sre"],
      ["- [ ] Probe the certificate — owner: backend type: detect acme/infra#12", "Probe the certificate", "backend"],
      ["- [ ] Ask @alice about it owner: backend\n  more words", "Ask @alice about it", "backend"],
    ] as const;
    for (const [answer, text, owner] of old) expect(parseActionItems(answer, 0, home, teams).items[0]!.key, answer).toBe(itemKey(text, owner));
  });

  it("reads a table whose action column has another name: the first column that is none of the others", () => {
    expect(parseActionItems("| What | Owner | Issue |\n| - | - | - |\n| Cap fan-out | sre | #4 |", 0, home).items.map((i) => [i.text, i.owner, i.ref?.number])).toEqual([["Cap fan-out", "sre", 4]]);
  });

  it("demands an owner only of untracked items, and none when follow-ups are off", () => {
    const answer = "- Alarm on p99\n- Cap fan-out #12\n- Rotate keys due: 2026-02-30";
    const parsed = parseActionItems(answer, 0, home, teams);
    expect(checkActionItems(parsed, teams, home, "Action items").map((p) => p.code)).toEqual(["action-item-owner-missing", "action-item-owner-missing", "action-item-due"]);
    const off = { ...teams, follow_ups: { ...teams.follow_ups, enabled: false } };
    expect(checkActionItems(parsed, off, home, "Action items").map((p) => p.code)).toEqual(["action-item-due"]);
  });

  it("says what is missing in Japanese when the config asks for it", () => {
    const ja = { ...teams, language: "ja" as const };
    const [problem] = checkActionItems(parseActionItems("- 監視を追加する", 0, home, ja), ja, home, "再発防止策");
    expect(problem!.message).toBe(
      "「再発防止策」の1件目（`監視を追加する`）に担当がありません。`担当: <チーム>`、`担当: owner/repo`、`担当: @user` のいずれかを書いてください（チーム名でも構いません。すでに追跡中なら `#12` のように Issue を書いてください）。",
    );
  });
});

describe("resolveOwner", () => {
  it.each([
    ["backend", { repo: { owner: "acme", repo: "backend" }, labels: ["backend"], assignees: [], via: "team" }],
    ["@acme/sre", { repo: { owner: "acme", repo: "sre" }, labels: [], assignees: ["kenji-sato"], via: "handle" }],
    ["acme/infra", { repo: { owner: "acme", repo: "infra" }, labels: [], assignees: [], via: "repository" }],
    ["@alice", { repo: { owner: "acme", repo: "incidents" }, labels: [], assignees: ["alice"], via: "person" }],
  ])("resolves %s", (owner, expected) => {
    expect(resolveOwner(owner, teams, home)).toEqual(expected);
  });

  it("files a person's item in the postmortem's repository when no default_repo is set", () => {
    const config = { ...teams, follow_ups: { ...teams.follow_ups, default_repo: undefined } };
    expect(resolveOwner("@bob", config, { owner: "acme", repo: "pm" })).toMatchObject({ repo: { owner: "acme", repo: "pm" } });
  });

  it("explains an unknown owner with the known teams", () => {
    const result = resolveOwner("frontend", teams, home);
    expect("error" in result && result.error).toMatch(/Known teams: `backend`, `sre`/);
  });
});

describe("parseReference", () => {
  it.each([
    ["#12", { owner: "acme", repo: "incidents", number: 12 }],
    ["acme/infra#3", { owner: "acme", repo: "infra", number: 3 }],
    ["https://github.com/acme/infra/issues/15", { owner: "acme", repo: "infra", number: 15 }],
    ["https://ghe.example.com/acme/infra/issues/15#issuecomment-1", { owner: "acme", repo: "infra", number: 15 }],
    ["issue-12", null],
    ["", null],
  ])("reads %s", (token, expected) => {
    expect(parseReference(token, home)).toEqual(expected);
  });
});

describe("action items (properties)", () => {
  const config = { ...teams, teams: { ...teams.teams, "platform-team": { repo: "acme/platform", labels: [], assignees: [], handles: [] } } };
  const reserved = new Set(["owner", "type", "due", "sre", "backend", "platform", "team", "x"]);
  const word = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), fc.constantFrom("監視", "追加する", "p99", "キャッシュ")).filter((w) => !reserved.has(w));
  const words = fc.array(word, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(" "));
  const owners = [
    { written: " owner: sre", owner: "sre" },
    { written: " 担当: backend", owner: "backend" },
    { written: " 担当者：@acme/sre", owner: "@acme/sre" },
    { written: " — @alice", owner: "@alice" },
    { written: " — platform-team", owner: "platform-team" },
    { written: "", owner: null },
  ];
  const dues = [
    { written: "", due: null },
    { written: " due: 2026-12-01", due: "2026-12-01" },
    { written: " 期限: 2026/1/5", due: "2026-01-05" },
  ];
  const refs = [
    { written: "", ref: null },
    { written: " #12", ref: "acme/incidents#12" },
    { written: " (acme/infra#3)", ref: "acme/infra#3" },
    { written: " — https://github.com/acme/infra/issues/9", ref: "acme/infra#9" },
  ];
  const item = fc.record({
    marker: fc.constantFrom("- [ ] ", "- [x] ", "- [X] ", "- ", "* ", "+ ", "1. ", "3) "),
    tag: fc.constantFrom(null, "detect", "mitigate"),
    text: words,
    owner: fc.constantFrom(...owners),
    due: fc.constantFrom(...dues),
    ref: fc.constantFrom(...refs),
    more: fc.option(words, { nil: null }),
  });
  const between = fc.constantFrom("", "", "\n", "\nSome prose between the items.\n");

  it("reads generated items back to the same parts, whatever the shape (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(item, between), { minLength: 1, maxLength: 8 }), fc.boolean(), (generated, crlf) => {
        const lines: string[] = [];
        for (const [it, gap] of generated) {
          // A list-marker change after a continuation starts a new list; mdast reads it alike.
          lines.push(`${it.marker}${it.tag ? `[${it.tag}] ` : ""}${it.text}${it.owner.written}${it.due.written}${it.ref.written}`);
          if (it.more) lines.push(`   ${it.more}`);
          if (gap) lines.push(gap);
        }
        const answer = lines.join("\n").replace(/\n/g, crlf ? "\r\n" : "\n");
        const items = parseActionItems(answer, 0, home, config).items;
        // A thematic break after the items sends the answer through mdast: both readers agree.
        expect(parseActionItems(`${answer}\n\n***\n`, 0, home, config).items).toEqual(items);
        expect(items).toHaveLength(generated.length);
        for (const [i, [it]] of generated.entries()) {
          const read = items[i]!;
          expect({ text: read.text, owner: read.owner, type: read.type, due: read.due, ref: read.ref && formatReference(read.ref), checked: read.checked }).toEqual({
            text: it.more ? `${it.text} ${it.more}` : it.text,
            owner: it.owner.owner,
            type: it.tag,
            due: it.due.due,
            ref: it.ref.ref,
            checked: it.marker.startsWith("- [") ? it.marker !== "- [ ] " : null,
          });
          expect(answer.slice(read.line.start, read.line.start + it.marker.length)).toBe(it.marker);
        }
      }),
      { numRuns: runs(400) },
    );
  });

  it("never throws on arbitrary text, and every item's offsets lie inside the answer (property)", () => {
    const markdownish = fc.array(fc.constantFrom("- ", "* ", "1. ", "[ ] ", "[x]", "|", " — ", "owner:", "担当：", "@a", "#1", "\n", "\r\n", "  ", "`", "> ", "x", "(", ")"), { maxLength: 60 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), markdownish), (answer) => {
        for (const read of parseActionItems(answer, 0, home, config).items) {
          if (read.line.start < 0 || read.line.end > answer.length || read.line.start > read.line.end) return false;
          if (read.checkbox !== null && !/[ xX]/.test(answer[read.checkbox]!)) return false;
        }
        return true;
      }),
      { numRuns: runs(2000) },
    );
  });

  /**
   * Characters regular expressions read while `run` runs (from where each search
   * starts to the end of its match, or to the end of the text when none): a count
   * that grows with the work, unlike a clock. Every use of a regex (test, replace,
   * match, split) goes through `exec`.
   */
  function scanned(run: () => void): number {
    const exec = RegExp.prototype.exec;
    let chars = 0;
    RegExp.prototype.exec = function (this: RegExp, text: string) {
      const from = this.global || this.sticky ? this.lastIndex : 0;
      const match = exec.call(this, text);
      chars += (match ? match.index + match[0].length : String(text).length) - from;
      return match;
    };
    try {
      run();
    } finally {
      RegExp.prototype.exec = exec;
    }
    return chars;
  }

  it.each([
    ["items with continuation lines", (n: number) => "- [ ] Fix the pool — owner: sre due: 2026-12-01 #4\n  and the alarm\n".repeat(n)],
    ["one item with many continuation lines", (n: number) => `- Fix it\n${"  owner: sre — @bob — platform-team | x\n".repeat(n)}`],
    ["separators and brackets", (n: number) => `- ${"[ — | : -".repeat(n)}`],
    ["prose and mentions", (n: number) => "@a @b/c 担当： owner: #1 (\n\n".repeat(n)],
    ["nested tasks under one item", (n: number) => `- [ ] top\n${"  - [ ] nested owner: sre\n".repeat(n)}`],
  ])("does work linear in the size of %s", (_, make) => {
    const repeatsFor = (chars: number) => Math.round((chars - make(0).length) / (make(1).length - make(0).length));
    // Two pairs: both under the size mdast reads (20,000 characters), both over it (the line reader).
    for (const [from, to] of [[4_000, 16_000], [25_000, 100_000]] as const) {
      const small = scanned(() => parseActionItems(make(repeatsFor(from)), 0, home, config));
      const large = scanned(() => parseActionItems(make(repeatsFor(to)), 0, home, config));
      // Four times the input: about four times the characters scanned (a quadratic reader would scan sixteen times as many).
      expect(large / small, `${from} -> ${to} characters`).toBeLessThan(4 * 1.5);
      expect(large / small, `${from} -> ${to} characters`).toBeGreaterThan(4 / 1.5);
    }
  });
});

describe("docs/action-items.md", () => {
  it("reads its example as the page says", () => {
    const page = readFileSync(new URL("../../docs/action-items.md", import.meta.url), "utf8");
    const example = /## Examples\n\n```markdown\n([\s\S]*?)```/.exec(page)![1]!;
    const config = { ...teams, teams: { ...teams.teams, "platform-team": { repo: "acme/platform", labels: [], assignees: [], handles: [] } } };
    const items = parseActionItems(example, 0, home, config).items;
    expect(items.map((i) => [i.type, i.owner, i.ref && formatReference(i.ref), i.due])).toEqual([
      ["detect", "backend", null, "2026-12-15"],
      ["detect", "platform-team", "acme/incidents#412", null],
      ["mitigate", "@acme/sre", null, "2026-12-20"],
      [null, "sre", null, "2026-12-15"],
      [null, "@alice", "acme/infra#15", null],
      [null, "@acme/security", "acme/infra#9", null],
    ]);
    expect(checkActionItems({ items }, config, home, "Action items")).toEqual([]);
  });
});
