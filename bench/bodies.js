// Issue bodies for the parser benchmark: real-shaped bodies of a given size,
// grown from test/fixtures/bodies/complete.md (the default form's headings,
// LF between fields, CRLF inside multi-line answers, as GitHub renders a
// form), and adversarial bodies.
import { fixtureBody } from "./scenarios.js";

export const KB = 1024;
const bytes = (s) => Buffer.byteLength(s, "utf8");

/** complete.md split into [label, answer] pairs, in order. */
function sections(body) {
  const out = [];
  const re = /^### (.+)\n\n/gm;
  const heads = [...body.matchAll(re)];
  heads.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = i + 1 < heads.length ? heads[i + 1].index : body.length;
    let answer = body.slice(start, end);
    if (i + 1 < heads.length) answer = answer.replace(/\n\n$/, "");
    out.push([m[1], answer]);
  });
  return out;
}

const render = (secs) => secs.map(([label, answer]) => `### ${label}\n\n${answer}`).join("\n\n");

// Fields that grow, and the lines they grow with (CRLF-joined, as typed in the browser).
const GROWTH = {
  Impact: [
    "- Checkout error rate peaked at 41% at 14:22 JST; mobile clients saw slightly more failures than web.",
    "- About 3,100 learners contacted support; the median wait for a first answer was 47 minutes.",
    "- Partner resellers saw failed webhook deliveries for 52 minutes and retried them automatically.",
  ],
  "Root causes": [
    "The connection pool was sized in 2023 for a peak of 400 payment attempts per minute and never revisited.",
    "Provider latency above 2 s made every connection wait, so new requests queued behind them in the pool.",
    "Nothing in the launch checklist asked who owns the downstream services of a campaign.",
  ],
  Resolution: [
    "The on-call raised the pool size from 20 to 60 connections per pod and restarted the pods one by one.",
    "Finance reconciled the replayed payments against the provider's settlement report on 21 November.",
  ],
  Detection: [
    "The error-rate dashboard showed the rise within a minute, but nobody was looking at it at 14:03.",
    "Synthetic checkout probes run every 5 minutes and failed twice before the page fired.",
  ],
  "What went wrong": [
    "- The runbook for payments-api still described the old provider and its retry headers.",
    "- Status page updates lagged the incident channel by about 20 minutes.",
  ],
  Timeline: [
    "- 2026-11-20 14:21 JST — Provider status page shows elevated latency in ap-northeast-1.",
    "- 2026-11-20 14:26 JST — Incident commander asks support to pause the campaign's follow-up email.",
    "- 2026-11-20 14:33 JST — Payments on-call confirms the pool is saturated on every pod.",
    "- 2026-11-20 14:44 JST — Decision: disable client retries before raising the pool size.",
  ],
  "Supporting information": [
    "- Dashboard: https://grafana.acme-learning.example/d/checkout?from=1763614800000&to=1763620860000",
    "- Provider incident report: https://status.payments-provider.example/incidents/8f2k1",
  ],
};

const LOG_LINES = [
  "2026-11-20T05:03:12Z ERROR payments-api pool=provider active=20 idle=0 waiting=184 msg=\"acquire timeout\"",
  "2026-11-20T05:03:13Z WARN  checkout-web status=503 path=/api/checkout/pay latency_ms=30012 retry=1",
];

/**
 * A real-shaped body of about `targetBytes` (UTF-8): every heading of the
 * default form, realistic answers, CRLF inside answers; above 8 KB a log
 * excerpt in a fenced block in Supporting information.
 */
export function realShaped(targetBytes) {
  const base = sections(fixtureBody("complete"));
  // Smallest form: the first line of every answer, cut short at a word; one short action item.
  const small = base.map(([label, answer]) => {
    if (label === "Action items") return [label, "- [ ] Alert on pool saturation — owner: backend type: detect"];
    let first = answer.split("\r\n")[0].split("\n")[0];
    if (label !== "Blameless review" && first.length > 40) first = `${first.slice(0, first.lastIndexOf(" ", 40))}.`;
    return [label, first];
  });
  if (bytes(render(small)) >= targetBytes) return render(small);
  const secs = targetBytes >= bytes(render(base)) ? base.map(([l, a]) => [l, a.replace(/\r\n$/, "")]) : small.map(([l, a]) => [l, a]);
  const growable = secs.filter(([label]) => GROWTH[label]);
  const log = [];
  const withLog = () => {
    if (log.length === 0) return render(secs);
    const s = secs.map(([l, a]) => (l === "Supporting information" ? [l, `${a}\r\n\r\n\`\`\`text\r\n${log.join("\r\n")}\r\n\`\`\``] : [l, a]));
    return render(s);
  };
  let i = 0;
  for (;;) {
    const current = withLog();
    if (bytes(current) >= targetBytes) return current;
    if (targetBytes >= 8 * KB && i % 5 === 4) {
      log.push(LOG_LINES[log.length % LOG_LINES.length]);
    } else {
      const entry = growable[i % growable.length];
      const pool = GROWTH[entry[0]];
      const n = entry[1].split("\r\n").length;
      entry[1] = `${entry[1]}\r\n${pool[n % pool.length]}`;
    }
    i++;
  }
}

/** What people write without the app's conventions (issue 13): Japanese, slash and full-width timestamps; plain, numbered and tagged action items with continuation lines. */
const AS_PEOPLE_WRITE = {
  "Impact started": "2026/11/20(金) 14:03 (JST)",
  Detected: "2026年11月20日 14時15分（日本時間）",
  Mitigated: "２０２６/１１/２０ １４：５０ (JST)",
  Recovered: "2026年11月20日 15:41 (Asia/Tokyo)",
  "Action items": [
    "- [detect] backend — Alert on checkout error rate over a 2-minute window — due: 2026/12/15",
    "1. Add downstream services (payments, email) to the capacity checklist",
    "   担当: @acme/sre 期限：2026/12/20",
    "2. [prevent] Route payment provider calls through the egress proxy (acme/infra#12)",
  ].join("\r\n"),
};

/** A real-shaped body of about `targetBytes` whose timestamps and action items are written as people write them. */
export function peopleShaped(targetBytes) {
  const body = realShaped(targetBytes);
  return render(sections(body).map(([label, answer]) => [label, AS_PEOPLE_WRITE[label] ?? answer]));
}

/**
 * Adversarial answer text of about `n` bytes. Kinds:
 * headings (thousands of `###` lines), unterminated-fence, backticks (one run),
 * nested-quotes (`> > > …`), quote-run (`>>>…`, one level per character), nested-lists (a staircase of list items),
 * giant-table, hashes-one-line (`### ` repeated on one line), comma-choices
 * (`x, x, x, …`, as a dropdown answer).
 */
export const ADVERSARIAL = {
  headings: (n) => "### x\n".repeat(Math.max(1, Math.floor(n / 6))),
  "unterminated-fence": (n) => `\`\`\`\n${"### not a heading\ntext inside the fence\n".repeat(Math.max(1, Math.floor(n / 40)))}`,
  backticks: (n) => "`".repeat(n),
  "nested-quotes": (n) => `${"> ".repeat(Math.floor(n / 2))}x`,
  "quote-run": (n) => `${">".repeat(n)} x`,
  "nested-lists": (n) => {
    const lines = [];
    let size = 0;
    for (let d = 0; size < n; d++) {
      const line = `${"  ".repeat(d)}- item ${d}`;
      lines.push(line);
      size += line.length + 1;
    }
    return lines.join("\n");
  },
  "giant-table": (n) => {
    const head = "| Action | Type | Owner | Issue |\n| --- | --- | --- | --- |\n";
    const row = "| Rotate the certificate | prevent | @acme/sre | #12 |\n";
    return head + row.repeat(Math.max(1, Math.floor((n - head.length) / row.length)));
  },
  "hashes-one-line": (n) => "### ".repeat(Math.floor(n / 4)),
  "comma-choices": (n) => Array(Math.max(1, Math.floor(n / 3))).fill("x").join(", "),
  // Thousands of action items in every shape, with continuation lines, mentions, separators and references (issue 13).
  "action-items": (n) => {
    const block = "- [detect] backend — alarm on p99 — #412\n1. [ ] Rotate keys\n   担当：@acme/sre 期限: 2026/12/01\n* Cap fan-out | sre | (acme/infra#3)\nprose between items @a @b — | :\n";
    return block.repeat(Math.max(1, Math.floor(n / bytes(block))));
  },
};

/** Where the adversarial text goes: a textarea answer, the checkboxes answer, or the dropdown answer. */
export const PLACEMENTS = {
  textarea: "Summary",
  checkboxes: "Blameless review",
  dropdown: "Severity",
  actions: "Action items",
};

/** complete.md with the adversarial text added to (or, for a dropdown, replacing) one answer. */
export function adversarial(kind, placement, payloadBytes) {
  const text = ADVERSARIAL[kind](payloadBytes);
  const label = PLACEMENTS[placement];
  const secs = sections(fixtureBody("complete")).map(([l, a]) => {
    if (l !== label) return [l, a];
    if (placement === "dropdown") return [l, text];
    return [l, `${a}\n\n${text}`];
  });
  return render(secs);
}
