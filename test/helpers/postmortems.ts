// Generated postmortems with known timestamps, for the report's tests (unit and
// end to end) and the scaling benchmark's idea of a realistic body. Bodies are
// rendered as GitHub renders the shipped issue form: `### <label>` sections,
// CRLF line endings, `_No response_` for empty answers, `- [X]` checkboxes.

export type Defect = "no-severity" | "order" | "bad-detected" | "bad-started" | "unticked";

export interface GeneratedPostmortem {
  repo: string;
  number: number;
  title: string;
  body: string;
  /** ISO, second precision. */
  createdAt: string;
  state: "open" | "closed";
  severity: string;
  startedMs: number;
  detectedMs: number;
  mitigatedMs: number | null;
  recoveredMs: number;
  defect: Defect | null;
  /** The problem codes validatePostmortem reports for this defect. */
  expectedProblems: string[];
}

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"];
const MINUTE = 60_000;

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2026-05-03 19:04 Asia/Tokyo`: the same instant written in Tokyo time, as people do. */
function tokyo(ms: number): string {
  const t = new Date(ms + 9 * 60 * MINUTE).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)} Asia/Tokyo`;
}

export interface BodyFields {
  summary?: string;
  severity: string | null;
  started: string;
  detected: string;
  mitigated: string | null;
  recovered: string;
  blameless?: boolean;
  /** Filler text so a body can be sized like a real one. */
  padding?: string;
  rootCauses?: string;
  trigger?: string;
}

/** A body of the shipped form, CRLF, as GitHub renders it. */
export function postmortemBody(f: BodyFields): string {
  const none = "_No response_";
  const sections: [string, string][] = [
    ["Summary", f.summary ?? "Checkout failed for some learners; we rolled back the release."],
    ["Severity", f.severity ?? none],
    ["Impact started", f.started],
    ["Detected", f.detected],
    ["Mitigated", f.mitigated ?? none],
    ["Recovered", f.recovered],
    ["Impact", `About 1,200 learners saw failed checkouts.${f.padding ? `\r\n\r\n${f.padding}` : ""}`],
    ["Root causes", f.rootCauses ?? "A configuration change lowered the connection pool size."],
    ["Trigger", f.trigger ?? "The 14:00 deploy."],
    ["Resolution", "Rolled back the deploy and replayed failed payments."],
    ["Detection", "The checkout error-rate alert paged the on-call."],
    ["Action items", "- [ ] Alert on pool saturation — owner: @alice type: detect due: 2026-12-15\r\n- [ ] Review deploy checklist — owner: @bob type: process"],
    ["What went well", "The rollback took two minutes."],
    ["What went wrong", "The alert window was too long."],
    ["Where we got lucky", none],
    ["Timeline", "- 14:00 deploy\r\n- 14:05 alert\r\n- 14:20 rollback"],
    ["Supporting information", none],
    ["Blameless review", `- [${f.blameless === false ? " " : "X"}] This postmortem is blameless: it describes systems and decisions, not people at fault.`],
  ];
  return sections.map(([label, answer]) => `### ${label}\r\n\r\n${answer}`).join("\r\n\r\n");
}

export interface GenerateOptions {
  repos: string[];
  count: number;
  now: Date;
  seed: number;
  /** Impact starts spread over this many days before now (minus 3 days). */
  spanDays: number;
  /** Every n-th postmortem (by index) gets a defect; 0 for none. Default 7. */
  defectEvery?: number;
  /** Filler characters added to each body (to size bodies like real ones). */
  padding?: number;
}

const DEFECTS: Defect[] = ["no-severity", "order", "bad-detected", "bad-started", "unticked"];

const EXPECTED: Record<Defect, string[]> = {
  "no-severity": ["required"],
  order: ["timestamp-order"],
  "bad-detected": ["timestamp-format"],
  "bad-started": ["timestamp-format"],
  unticked: ["checkbox-required"],
};

/** `count` postmortems spread round-robin over `repos`, numbered from 1 in each repository. */
export function generatePostmortems(options: GenerateOptions): GeneratedPostmortem[] {
  const random = prng(options.seed);
  const end = options.now.getTime() - 3 * 24 * 60 * MINUTE;
  const start = end - options.spanDays * 24 * 60 * MINUTE;
  const numbers = new Map<string, number>();
  const padding = options.padding ? "Lorem ipsum dolor sit amet. ".repeat(Math.ceil(options.padding / 28)).slice(0, options.padding) : undefined;
  const out: GeneratedPostmortem[] = [];
  const every = options.defectEvery ?? 7;
  for (let i = 0; i < options.count; i++) {
    const repo = options.repos[i % options.repos.length]!;
    const number = (numbers.get(repo) ?? 0) + 1;
    numbers.set(repo, number);
    // Whole minutes, so a time written without seconds (Tokyo style) reads back exactly.
    const startedMs = Math.floor((start + random() * (end - start)) / MINUTE) * MINUTE;
    const detectedMs = startedMs + Math.floor(1 + random() * 90) * MINUTE;
    const hasMitigated = random() < 0.7;
    const mitigatedMs = hasMitigated ? detectedMs + Math.floor(random() * 60) * MINUTE : null;
    const recoveredMs = (mitigatedMs ?? detectedMs) + Math.floor(5 + random() * 600) * MINUTE;
    const severity = SEVERITIES[Math.floor(random() * SEVERITIES.length)]!;
    const defect = every > 0 && i % every === every - 1 ? DEFECTS[Math.floor(i / every) % DEFECTS.length]! : null;
    const write = (ms: number) => (random() < 0.3 ? tokyo(ms) : isoSeconds(ms));
    const fields: BodyFields = {
      severity: defect === "no-severity" ? null : severity,
      started: defect === "bad-started" ? "yesterday afternoon" : write(startedMs),
      detected: defect === "bad-detected" ? "around lunch" : write(detectedMs),
      mitigated: mitigatedMs === null ? null : write(mitigatedMs),
      // Out of order: recovered before detected.
      recovered: defect === "order" ? isoSeconds(detectedMs - 5 * MINUTE) : write(recoveredMs),
      blameless: defect !== "unticked",
      padding,
    };
    out.push({
      repo,
      number,
      title: `[Postmortem] ${severity} incident ${i + 1}`,
      body: postmortemBody(fields),
      createdAt: isoSeconds(startedMs + 2 * 24 * 60 * MINUTE),
      state: random() < 0.6 ? "closed" : "open",
      severity,
      startedMs,
      detectedMs,
      mitigatedMs,
      recoveredMs,
      defect,
      expectedProblems: defect ? EXPECTED[defect] : [],
    });
  }
  return out;
}

// ------------------------------------------------------------------ the independent computation

/** Nearest rank, written independently of src/: sort, then take the ⌈p/100·n⌉-th value. */
export function expectedPercentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let rank = Math.ceil((p / 100) * sorted.length - 1e-9);
  if (rank < 1) rank = 1;
  return sorted[rank - 1]!;
}

export interface ExpectedStats {
  count: number;
  ttd: { count: number; median: number | null; p90: number | null };
  ttr: { count: number; median: number | null; p90: number | null };
  ttm: { count: number; median: number | null; p90: number | null };
}

/** Figures of complete generated postmortems, from their known timestamps. */
export function expectedStats(pms: GeneratedPostmortem[], ttrFrom: (repo: string) => "started" | "detected"): ExpectedStats {
  const stat = (xs: number[]) => ({ count: xs.length, median: expectedPercentile(xs, 50), p90: expectedPercentile(xs, 90) });
  const ttd = pms.map((p) => (p.detectedMs - p.startedMs) / 1000);
  const ttr = pms.map((p) => (p.recoveredMs - (ttrFrom(p.repo) === "detected" ? p.detectedMs : p.startedMs)) / 1000);
  const ttm = pms.filter((p) => p.mitigatedMs !== null).map((p) => (p.mitigatedMs! - p.startedMs) / 1000);
  return { count: pms.length, ttd: stat(ttd), ttr: stat(ttr), ttm: stat(ttm) };
}

/** Where the report places a generated postmortem: its impact start, or its creation when the start cannot be read. */
export function placement(p: GeneratedPostmortem): number {
  return p.defect === "bad-started" ? Date.parse(p.createdAt) : p.startedMs;
}

export function utcMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The body the postmortem would have without its defect (same times, written in UTC). */
export function repairedBody(p: GeneratedPostmortem): string {
  return postmortemBody({
    severity: p.severity,
    started: isoSeconds(p.startedMs),
    detected: isoSeconds(p.detectedMs),
    mitigated: p.mitigatedMs === null ? null : isoSeconds(p.mitigatedMs),
    recovered: isoSeconds(p.recoveredMs),
  });
}
