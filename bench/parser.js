// Parser and validator throughput: our validatePostmortem (and parseBody
// alone) vs @github/issue-parser's parseIssue on the same bodies, real-shaped
// (1-60 KB) and adversarial; plus the answers each extracts, field by field.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { parseIssue, parseTemplate } from "@github/issue-parser";
import { adversarial, ADVERSARIAL, KB, peopleShaped, realShaped } from "./bodies.js";
import { fixtureBody } from "./scenarios.js";
import { HOME, NOW, setups } from "./parser-setup.js";
import { validatePostmortem } from "../lib/postmortem/validate.js";
import { log, REPO_ROOT, round } from "./util.js";

export const REAL_SIZES_KB = [1, 2, 4, 8, 16, 32, 60];
export const ADV_SIZES_KB = [8, 16, 32, 64];
export const COMMA_SIZES_KB = [0.5, 1, 2, 4];
/** Real-shaped bodies with timestamps and action items as people write them (the readers of issue 13). */
export const PEOPLE_SIZES_KB = [1, 8, 60];
const ADV_PLACEMENTS = ["textarea", "checkboxes"];

const bytes = (s) => Buffer.byteLength(s, "utf8");

function buildJobs() {
  const jobs = [];
  const bodies = [];
  for (const kb of REAL_SIZES_KB) {
    const body = realShaped(kb * KB);
    bodies.push({ id: `real-${kb}`, group: "real", sizeKB: kb, bytes: bytes(body), body });
    for (const fn of ["validate", "parseBody", "issueParser"]) jobs.push({ key: `real-${kb}|${fn}`, body, fn, setup: "default", series: `real|${fn}`, precise: true });
  }
  for (const kb of PEOPLE_SIZES_KB) {
    const body = peopleShaped(kb * KB);
    bodies.push({ id: `people-${kb}`, group: "people", sizeKB: kb, bytes: bytes(body), body });
    for (const fn of ["validate", "issueParser"]) jobs.push({ key: `people-${kb}|${fn}`, body, fn, setup: "default", series: `people|${fn}`, precise: true });
  }
  jobs.push({ key: "template|templateParse", body: "", fn: "templateParse", setup: "default", series: "template", precise: true });
  // complete.md itself: the fixed part of every adversarial body.
  const base = fixtureBody("complete");
  for (const fn of ["validate", "issueParser"]) jobs.push({ key: `base|${fn}`, body: base, fn, setup: "default", series: `base|${fn}`, precise: true });
  const advSeries = [];
  for (const kind of Object.keys(ADVERSARIAL)) {
    const placements = kind === "comma-choices" ? ["dropdown"] : kind === "action-items" ? ["actions"] : ADV_PLACEMENTS;
    const sizes = kind === "comma-choices" ? COMMA_SIZES_KB : ADV_SIZES_KB;
    for (const placement of placements) {
      advSeries.push({ kind, placement, sizes });
      for (const kb of sizes) {
        const payloadBytes = Math.round(kb * KB);
        const body = adversarial(kind, placement, payloadBytes);
        const id = `adv-${kind}-${placement}-${kb}`;
        bodies.push({ id, group: "adversarial", kind, placement, sizeKB: kb, payloadBytes, bytes: bytes(body), body });
        for (const fn of ["validate", "issueParser"]) jobs.push({ key: `${id}|${fn}`, body, fn, setup: "default", series: `${kind}|${placement}|${fn}` });
      }
    }
  }
  return { jobs, bodies, advSeries };
}

/** Runs jobs in a worker; a job that makes no progress for `stallMs` is stopped, and its series' larger sizes skipped. */
async function runJobs(jobs, options) {
  const results = new Map();
  const warmupBody = realShaped(8 * KB);
  let pending = [...jobs];
  while (pending.length > 0) {
    const batch = pending;
    pending = [];
    const outcome = await new Promise((resolve) => {
      // The worker gets the main thread's default stack (984 KB, not a worker's 4 MB), so deep
      // recursion overflows here exactly where it would in the app process.
      const worker = new Worker(new URL("./parser-worker.js", import.meta.url), {
        resourceLimits: { stackSizeMb: 0.984 },
        workerData: { jobs: batch.map(({ key, body, fn, setup, precise, series }) => ({ key, body, fn, setup, precise, series })), options, warmupBody },
      });
      let current = null;
      let timer = null;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          void worker.terminate();
          resolve({ stalled: current });
        }, options.stallMs);
      };
      arm();
      worker.on("message", (m) => {
        if (m.type === "start") current = m.key;
        if (m.type === "result") {
          results.set(m.key, m.result);
        }
        if (m.type === "done") {
          clearTimeout(timer);
          resolve({ stalled: null });
          return;
        }
        arm();
      });
      worker.on("error", (e) => {
        clearTimeout(timer);
        results.set(current, { error: String(e?.message ?? e) });
        resolve({ stalled: null, errored: current });
      });
    });
    const stoppedKey = outcome.stalled ?? outcome.errored ?? null;
    if (stoppedKey) {
      const job = batch.find((j) => j.key === stoppedKey);
      if (outcome.stalled) {
        results.set(stoppedKey, { timedOut: true, limitMs: options.stallMs });
        log(`parser: ${stoppedKey} still running after ${options.stallMs} ms; stopped`);
        skipLater(batch, job, results, `a smaller body did not finish within ${options.stallMs / 1000} s`);
      }
      pending = batch.filter((j) => !results.has(j.key));
    }
  }
  return results;
}

function skipLater(batch, job, results, reason) {
  if (!job) return;
  const sizeOf = (k) => Number(k.split("|")[0].split("-").at(-1));
  for (const j of batch) {
    if (j.series === job.series && sizeOf(j.key) > sizeOf(job.key) && !results.has(j.key)) results.set(j.key, { skipped: true, reason });
  }
}

function linearFit(points) {
  const pts = points.filter(([, y]) => typeof y === "number");
  if (pts.length < 3) return null;
  const n = pts.length;
  const mx = pts.reduce((a, [x]) => a + x, 0) / n;
  const my = pts.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const syy = pts.reduce((a, [, y]) => a + (y - my) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { fixedMs: round(intercept, 3), usPerKB: round(slope * 1000, 2), r2: round(r2, 3) };
}

// ------------------------------------------------------------------ correctness

const MISSING = "(no section)";
const norm = (s) => String(s).replace(/\r\n?/g, "\n").replace(/\s+/g, " ").trim();

function oursAnswers(setup, body) {
  const v = validatePostmortem({ body, form: setup.form, config: setup.config, now: NOW, home: HOME });
  const out = {};
  for (const f of setup.form.fields) {
    const a = v.parsed.answers.get(f.id);
    if (!a) out[f.id] = { value: MISSING };
    else if (f.type === "dropdown") out[f.id] = { value: a.empty ? [] : a.choices.map(norm), raw: a.raw };
    else if (f.type === "checkboxes") out[f.id] = { value: a.empty ? [] : [...a.checked].filter(([, on]) => on).map(([k]) => norm(k)).sort(), raw: a.raw };
    else out[f.id] = { value: a.empty ? null : norm(a.text), raw: a.raw };
  }
  return { answers: out, problems: v.problems.length, valid: v.valid };
}

function theirAnswers(setup, body) {
  const parsed = parseIssue(body, setup.templateYaml);
  const template = parseTemplate(setup.templateYaml);
  const out = {};
  for (const f of setup.form.fields) {
    const key = f.id in template ? f.id : Object.keys(template).find((k) => template[k].label === f.label);
    if (!key || !(key in parsed)) {
      out[f.id] = { value: MISSING };
      continue;
    }
    const v = parsed[key];
    if (f.type === "dropdown") out[f.id] = { value: Array.isArray(v) ? v.map(norm) : [] };
    else if (f.type === "checkboxes") out[f.id] = { value: v && Array.isArray(v.selected) ? v.selected.map(norm).sort() : [] };
    else out[f.id] = { value: v === undefined ? null : norm(v) };
  }
  return out;
}

function fenceWithHeading(raw) {
  if (!raw) return false;
  const m = raw.match(/(^|\n)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)(\n\2|$)/);
  return Boolean(m && /(^|\n)###/.test(m[3]));
}

function reasonFor(field, o, t) {
  const ov = o.value;
  const tv = t.value;
  if (ov === MISSING || tv === MISSING) {
    return ov === MISSING
      ? "only issue-parser found this section (ours did not match its heading)"
      : "only ours found this section: issue-parser dropped it (a heading it did not match, or an empty value)";
  }
  if (typeof ov === "string" && typeof tv === "string") {
    if (ov.startsWith(tv) && fenceWithHeading(o.raw)) return "issue-parser ends the answer at a `###` line inside a fenced code block; ours reads the fence as text (CommonMark)";
    if (field.render && tv.startsWith("```")) return "`render:` field: ours unwraps the code fence GitHub writes around the answer; issue-parser keeps the fence";
    if (tv.startsWith(ov) || ov.startsWith(tv)) return "one answer is a prefix of the other: the section ends at a different place";
    return "answers differ";
  }
  if (ov === null && typeof tv === "string") {
    if (/^(`{3,}|~{3,})[^`]*\1?$/.test(tv.replace(/\s/g, "")) || /^```\w*\s*```$/.test(tv)) return "an empty code fence: ours reads it as no answer, issue-parser as the text of the fence";
    return "ours reads no answer, issue-parser reads text";
  }
  if (typeof ov === "string" && tv === null) return "ours reads text, issue-parser reads no answer";
  if (Array.isArray(ov) && Array.isArray(tv)) {
    return field.type === "checkboxes"
      ? "ticked checkboxes differ (ours reads task-list items with micromark and compares labels as plain text; issue-parser matches `- [x]` per line)"
      : "dropdown choices differ (ours splits on `, ` matching options that contain commas; issue-parser splits on every comma)";
  }
  return "values differ";
}

const show = (v) => {
  if (v === MISSING) return MISSING;
  if (v === null) return "(no answer)";
  const s = Array.isArray(v) ? JSON.stringify(v) : v;
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
};

function compareBody(setup, body) {
  const ours = oursAnswers(setup, body);
  const theirs = theirAnswers(setup, body);
  const differences = [];
  for (const f of setup.form.fields) {
    const o = ours.answers[f.id];
    const t = theirs[f.id];
    if (JSON.stringify(o.value) === JSON.stringify(t.value)) continue;
    differences.push({ field: f.id, label: f.label, ours: show(o.value), issueParser: show(t.value), why: reasonFor(f, o, t) });
  }
  return { fields: setup.form.fields.length, valid: ours.valid, problems: ours.problems, differences };
}

// ------------------------------------------------------------------ main

export async function runParserBench(opts = {}) {
  const options = {
    // Adversarial bodies: 5 runs of ~20 ms after a short warm-up; a body whose
    // first call takes >= 50 ms gets 3 single calls (median); >= 500 ms, one
    // call, and the larger sizes of its series are skipped; a call still
    // running after stallMs is stopped (the worker is terminated).
    runs: opts.runs ?? 5,
    warmMs: opts.warmMs ?? 40,
    targetRunMs: opts.targetRunMs ?? 20,
    repeatBelowMs: 50,
    slowMs: opts.slowMs ?? 500,
    stallMs: opts.stallMs ?? 5_000,
    globalWarmMs: 400,
    // Real-shaped bodies, complete.md and the template parse: 7 interleaved runs of ~40 ms after 150 ms of warm-up.
    precise: { runs: 7, warmMs: 150, targetRunMs: 40 },
  };
  const all = setups();
  const { jobs, bodies, advSeries } = buildJobs();
  log(`parser: ${jobs.length} timings`);
  const results = await runJobs(jobs, options);
  const r = (key) => results.get(key) ?? null;
  // CPU ms per call (what the comparisons use) and wall ms per call.
  const cpu = (key) => {
    const x = r(key);
    return x && typeof x.cpuMs === "number" ? x.cpuMs : null;
  };
  const wall = (key) => {
    const x = r(key);
    return x && typeof x.perCallMs === "number" ? x.perCallMs : null;
  };

  const templateMs = cpu("template|templateParse");
  const real = REAL_SIZES_KB.map((kb) => {
    const b = bodies.find((x) => x.id === `real-${kb}`);
    const ours = cpu(`real-${kb}|validate`);
    const theirs = cpu(`real-${kb}|issueParser`);
    return {
      sizeKB: kb,
      bytes: b.bytes,
      oursMs: round(ours, 4),
      oursParseBodyMs: round(cpu(`real-${kb}|parseBody`), 4),
      issueParserMs: round(theirs, 4),
      issueParserWithoutTemplateMs: theirs !== null && templateMs !== null ? round(Math.max(0, theirs - templateMs), 4) : null,
      ratio: ours && theirs ? round(ours / theirs, 2) : null,
      oursUsPerKB: ours ? round((ours * 1000) / (b.bytes / KB), 1) : null,
      issueParserUsPerKB: theirs ? round((theirs * 1000) / (b.bytes / KB), 1) : null,
      wall: { oursMs: round(wall(`real-${kb}|validate`), 4), oursParseBodyMs: round(wall(`real-${kb}|parseBody`), 4), issueParserMs: round(wall(`real-${kb}|issueParser`), 4) },
    };
  });
  const people = PEOPLE_SIZES_KB.map((kb) => {
    const b = bodies.find((x) => x.id === `people-${kb}`);
    const ours = cpu(`people-${kb}|validate`);
    const theirs = cpu(`people-${kb}|issueParser`);
    const setup = all.default;
    const validation = validatePostmortem({ body: b.body, form: setup.form, config: setup.config, now: NOW, home: HOME });
    return {
      sizeKB: kb,
      bytes: b.bytes,
      oursMs: round(ours, 4),
      issueParserMs: round(theirs, 4),
      ratio: ours && theirs ? round(ours / theirs, 2) : null,
      valid: validation.valid,
      problems: validation.problems.map((x) => x.code),
      actionItems: validation.actionItems.length,
    };
  });
  const realLinearity = {
    // Least-squares fit of CPU time = fixed + perKB × size over the real-shaped sizes.
    ours: linearFit(real.map((x) => [x.bytes / KB, x.oursMs])),
    oursParseBody: linearFit(real.map((x) => [x.bytes / KB, x.oursParseBodyMs])),
    issueParser: linearFit(real.map((x) => [x.bytes / KB, x.issueParserMs])),
  };

  const base = { ours: cpu("base|validate"), issueParser: cpu("base|issueParser") };
  const adversarialRows = advSeries.map(({ kind, placement, sizes }) => {
    const pts = sizes.map((kb) => {
      const id = `adv-${kind}-${placement}-${kb}`;
      const b = bodies.find((x) => x.id === id);
      const cell = (fn) => {
        const x = r(`${id}|${fn}`);
        if (!x) return { ms: null, note: "not run" };
        if (x.timedOut) return { ms: null, note: `> ${x.limitMs / 1000} s (stopped)` };
        if (x.skipped) return { ms: null, note: `skipped: ${x.reason}` };
        if (x.error) return { ms: null, note: `error: ${x.error}` };
        if (x.threw) return { ms: null, note: `throws ${x.threw}`, threw: x.threw };
        return { ms: round(x.cpuMs, 4), wallMs: round(x.perCallMs, 4), note: x.single ? "one call (too slow to repeat)" : null };
      };
      return { sizeKB: kb, payloadBytes: b.payloadBytes, bytes: b.bytes, ours: cell("validate"), issueParser: cell("issueParser") };
    });
    const judge = (fn, baseMs) => {
      const unfinished = pts.some((p) => p[fn].ms === null);
      const done = pts.filter((p) => p[fn].ms !== null);
      // Growth of the time the adversarial text adds (over complete.md alone) with its size, between the two largest sizes measured.
      let exponent = null;
      let addedMs = null;
      if (done.length >= 2 && baseMs !== null) {
        const a = done.at(-2);
        const b = done.at(-1);
        const ia = a[fn].ms - baseMs;
        const ib = b[fn].ms - baseMs;
        addedMs = round(ib, 3);
        if (ia > 0 && ib > 0) exponent = round(Math.log(ib / ia) / Math.log(b.payloadBytes / a.payloadBytes), 2);
      }
      // Superlinear: a call stopped, skipped or throwing, or a growth exponent above 1.3 with an added time above noise (5 ms).
      const linear = !unfinished && !(exponent !== null && exponent > 1.3 && (addedMs ?? 0) > 5);
      return { exponent, addedMs, linear };
    };
    const ours = judge("ours", base.ours);
    const theirs = judge("issueParser", base.issueParser);
    const threw = (fn) => pts.find((p) => p[fn].threw)?.[fn].threw ?? null;
    return {
      kind,
      placement,
      points: pts,
      oursExponent: ours.exponent,
      issueParserExponent: theirs.exponent,
      oursAddedMsAtLargest: ours.addedMs,
      issueParserAddedMsAtLargest: theirs.addedMs,
      oursLinear: ours.linear,
      issueParserLinear: theirs.linear,
      oursThrows: threw("ours"),
      issueParserThrows: threw("issueParser"),
    };
  });

  // Correctness: real-shaped bodies and every fixture body.
  const correctness = [];
  for (const kb of REAL_SIZES_KB) {
    const b = bodies.find((x) => x.id === `real-${kb}`);
    correctness.push({ body: `real-shaped ${kb} KB`, form: "default", ...compareBody(all.default, b.body) });
  }
  const fixtureDir = join(REPO_ROOT, "test/fixtures/bodies");
  for (const file of readdirSync(fixtureDir).filter((f) => f.endsWith(".md") && f !== "README.md").sort()) {
    const setupName = file.startsWith("acme-") ? "acme" : "default";
    const setup = all[setupName];
    if (!setup.form) continue;
    const body = readFileSync(join(fixtureDir, file), "utf8");
    correctness.push({ body: `test/fixtures/bodies/${file}`, form: setupName, ...compareBody(setup, body) });
  }

  return {
    options,
    config: { default: all.default.configName, acme: all.acme.configName },
    templateParseMs: round(templateMs, 4),
    baseMs: { ours: round(base.ours, 4), issueParser: round(base.issueParser, 4) },
    real,
    people,
    realLinearity,
    adversarial: adversarialRows,
    correctness,
  };
}
