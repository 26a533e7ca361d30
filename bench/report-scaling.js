#!/usr/bin/env node
// `postmortem-bot report` at scale: API calls and CPU time for 1,000 and
// 10,000 postmortems, read from the GitHub stand-in (test/e2e/standin, compiled
// by ./standin.js) over loopback HTTP.
//
// DESIGN.md's budget: a report over 10,000 postmortems takes <= 110 API calls
// and < 5 s of CPU. The report runs in a child process (`lib/cli/report.js`,
// so run `npm run build` first) and its CPU is read there with
// process.cpuUsage() around the report() call (module loading excluded); the
// stand-in's own CPU, in this process, is not counted. A second child run
// splits the CPU into its phases: fetching (HTTP, JSON), checking every
// postmortem (validatePostmortem), aggregating and rendering.
//
// Usage: node bench/report-scaling.js [--quick] [--json <file>]
//   --quick   1,000 postmortems only
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadStandin } from "./standin.js";
import { log, REPO_ROOT, round } from "./util.js";

const NOW = "2026-11-27T00:00:00Z";
const MINUTE = 60_000;

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;

const CASES = [
  { name: "1,000 postmortems, 1 repository (--repo), real-sized bodies", count: 1_000, repos: 1, body: "real" },
  { name: "10,000 postmortems, 1 repository (--repo), real-sized bodies", count: 10_000, repos: 1, body: "real" },
  { name: "10,000 postmortems, org of 3 repositories (--org), real-sized bodies", count: 10_000, repos: 3, body: "real" },
  { name: "10,000 postmortems, org of 3 repositories (--org), minimal bodies", count: 10_000, repos: 3, body: "minimal" },
].filter((c) => !quick || c.count <= 1_000);

// ------------------------------------------------------------------ bodies

/** test/fixtures/bodies/complete.md (6 KB, every section of the shipped form filled in) with this postmortem's severity and times. */
const REAL = readFileSync(join(REPO_ROOT, "test/fixtures/bodies/complete.md"), "utf8");
const TEAMS_CONFIG = readFileSync(join(REPO_ROOT, "test/fixtures/configs/teams.yml"), "utf8");

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function setAnswer(body, label, value) {
  const re = new RegExp(`(### ${label}\\r?\\n\\r?\\n)[^\\r\\n]*`);
  if (!re.test(body)) throw new Error(`no ${label} section`);
  return body.replace(re, (_, head) => `${head}${value}`);
}

function realBody(p) {
  let body = setAnswer(REAL, "Severity", p.severity);
  body = setAnswer(body, "Impact started", iso(p.started));
  body = setAnswer(body, "Detected", iso(p.detected));
  body = setAnswer(body, "Mitigated", p.mitigated === null ? "_No response_" : iso(p.mitigated));
  body = setAnswer(body, "Recovered", iso(p.recovered));
  return p.incomplete ? setAnswer(body, "Detected", "around lunch") : body;
}

/** Only what the form requires, one line each (about 1.2 KB). */
function minimalBody(p) {
  const none = "_No response_";
  return [
    ["Summary", "Checkout failed for some learners."],
    ["Severity", p.severity],
    ["Impact started", iso(p.started)],
    ["Detected", p.incomplete ? "around lunch" : iso(p.detected)],
    ["Mitigated", p.mitigated === null ? none : iso(p.mitigated)],
    ["Recovered", iso(p.recovered)],
    ["Impact", "About 1,200 learners saw failed checkouts."],
    ["Root causes", "A configuration change lowered the pool size."],
    ["Trigger", "The 14:00 deploy."],
    ["Resolution", "Rolled back."],
    ["Detection", "The error-rate alert."],
    ["Action items", "- [ ] Alert on pool saturation — owner: backend type: detect"],
    ["What went well", "Fast rollback."],
    ["What went wrong", "Slow alert."],
    ["Where we got lucky", none],
    ["Timeline", "- 14:00 deploy"],
    ["Supporting information", none],
    ["Blameless review", "- [X] This postmortem is blameless: it describes systems and decisions, not people at fault."],
  ]
    .map(([label, answer]) => `### ${label}\n\n${answer}`)
    .join("\n\n");
}

function* postmortems(count, seed) {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const end = Date.parse(NOW) - 3 * 86_400_000;
  const start = end - 700 * 86_400_000;
  for (let i = 0; i < count; i++) {
    const started = Math.floor((start + random() * (end - start)) / MINUTE) * MINUTE;
    const detected = started + Math.floor(1 + random() * 90) * MINUTE;
    const mitigated = random() < 0.7 ? detected + Math.floor(random() * 60) * MINUTE : null;
    const recovered = (mitigated ?? detected) + Math.floor(5 + random() * 600) * MINUTE;
    yield { i, started, detected, mitigated, recovered, severity: `SEV${1 + Math.floor(random() * 4)}`, incomplete: i % 10 === 9, closed: random() < 0.6 };
  }
}

// ------------------------------------------------------------------ the child

const CHILD = `
import { performance } from "node:perf_hooks";
const [mode, libUrl, argvJson] = process.argv.slice(1);
const lib = (p) => import(new URL(p, libUrl).href);
const { report, createCliOctokit } = await lib("cli/report.js");
const { fetchPostmortems, tokenKindOf } = await lib("github/postmortem-source.js");
const { evaluatePostmortems, aggregateRows, periods } = await lib("postmortem/aggregate.js");
const { renderMarkdown, renderJson, renderCsv } = await lib("postmortem/report-render.js");
const argv = JSON.parse(argvJson);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const io = { out: (t) => { outBytes += Buffer.byteLength(t); }, err: () => {} };
let outBytes = 0;
const result = { mode };
if (mode === "cli") {
  const c0 = cpu(), t0 = performance.now();
  result.code = await report(argv, io);
  result.cpuMs = cpu() - c0; result.wallMs = performance.now() - t0; result.outBytes = outBytes;
} else {
  const now = new Date(argv[argv.indexOf("--now") + 1]);
  const target = argv[0] === "--repo" ? { kind: "repo", owner: argv[1].split("/")[0], repo: argv[1].split("/")[1] } : { kind: "org", org: argv[1] };
  const octokit = createCliOctokit(process.env.GITHUB_TOKEN, process.env.GITHUB_API_URL, io);
  let c = cpu();
  const fetched = await fetchPostmortems(octokit, { target, tokenKind: tokenKindOf(process.env.GITHUB_TOKEN), updatedSince: new Date(periods({ now }, 60).previousStart) });
  result.fetchCpuMs = cpu() - c; c = cpu();
  const rows = evaluatePostmortems(fetched.postmortems, fetched.setups, now);
  result.checkCpuMs = cpu() - c; c = cpu();
  const agg = aggregateRows(rows, fetched.setups, { now });
  result.aggregateCpuMs = cpu() - c; c = cpu();
  renderMarkdown(agg, { maxChars: Infinity }); renderJson(agg); renderCsv(agg);
  result.renderCpuMs = (cpu() - c) / 3;
  result.postmortems = fetched.postmortems.length; result.complete = agg.totals.complete; result.inPeriod = agg.totals.postmortems;
}
process.stdout.write(JSON.stringify(result) + "\\n");
`;

function runChild(mode, argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, mode, pathToFileURL(join(REPO_ROOT, "lib/")).href, JSON.stringify(argv)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop();
      if (code !== 0 || !line) reject(new Error(`child ${mode} exited ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(line));
    });
  });
}

// ------------------------------------------------------------------ a case

async function runCase(startStandin, publicKey, c) {
  let clock = Date.parse("2024-01-01T00:00:00Z");
  const standin = await startStandin({ appId: 99, publicKey, now: () => new Date(clock) });
  try {
    standin.webhooksEnabled = false;
    standin.addInstallation({ id: 1, account: "acme" });
    standin.addRepo({ owner: "acme", name: ".github", installationId: 1, files: { ".github/postmortem.yml": TEAMS_CONFIG } });
    const repos = Array.from({ length: c.repos }, (_, i) => `incidents-${i + 1}`);
    for (const name of repos) standin.addRepo({ owner: "acme", name, installationId: 1, labels: ["postmortem"] });
    const t0 = performance.now();
    for (const p of postmortems(c.count, 20261127)) {
      const repo = repos[p.i % repos.length];
      clock = p.started + 2 * 86_400_000;
      const issue = await standin.openIssue({ owner: "acme", repo, title: `[Postmortem] ${p.severity} incident ${p.i + 1}`, body: c.body === "real" ? realBody(p) : minimalBody(p), labels: ["postmortem"], user: "alice" });
      if (p.closed) {
        clock += 86_400_000;
        await standin.closeIssue("acme", repo, issue.number, {}, "alice");
      }
    }
    clock = Date.parse(NOW);
    log(`${c.name}: ${c.count} issues made in ${round((performance.now() - t0) / 1000, 1)} s`);
    const argv = c.repos === 1 ? ["--repo", `acme/${repos[0]}`, "--now", NOW, "--format", "json"] : ["--org", "acme", "--now", NOW, "--format", "json"];
    const env = { GITHUB_TOKEN: standin.createInstallationToken(1), GITHUB_API_URL: standin.apiBase };
    const mark = standin.mark();
    const cli = await runChild("cli", argv, env);
    const calls = standin.apiCallsSince(mark);
    if (cli.code !== 0) throw new Error(`report exited ${cli.code}`);
    const phases = await runChild("phases", argv, env);
    const byRoute = {};
    for (const call of calls) byRoute[`${call.route} ${call.status}`] = (byRoute[`${call.route} ${call.status}`] ?? 0) + 1;
    return {
      name: c.name,
      postmortems: c.count,
      repositories: c.repos,
      body: c.body,
      bodyBytes: Buffer.byteLength(c.body === "real" ? realBody([...postmortems(1, 1)][0]) : minimalBody([...postmortems(1, 1)][0])),
      apiCalls: calls.length,
      apiCallsByRoute: byRoute,
      cpuSeconds: round(cli.cpuMs / 1000, 2),
      wallSeconds: round(cli.wallMs / 1000, 2),
      phases: {
        fetchCpuSeconds: round(phases.fetchCpuMs / 1000, 2),
        checkCpuSeconds: round(phases.checkCpuMs / 1000, 2),
        aggregateCpuSeconds: round(phases.aggregateCpuMs / 1000, 3),
        renderCpuSeconds: round(phases.renderCpuMs / 1000, 3),
      },
      inPeriod: phases.inPeriod,
      complete: phases.complete,
      budget: { apiCalls: 110, cpuSeconds: 5 },
    };
  } finally {
    await standin.close();
  }
}

// ------------------------------------------------------------------ main

const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const { startStandin, cleanup } = await loadStandin();
const results = [];
try {
  for (const c of CASES) {
    const r = await runCase(startStandin, publicKey, c);
    results.push(r);
    log(
      `${r.name}: ${r.apiCalls} API calls (budget 110 for 10,000), ${r.cpuSeconds} s CPU (budget 5 s), ${r.wallSeconds} s wall; ` +
        `CPU by phase: fetch ${r.phases.fetchCpuSeconds} s, check ${r.phases.checkCpuSeconds} s, aggregate ${r.phases.aggregateCpuSeconds} s, render ${r.phases.renderCpuSeconds} s`,
    );
  }
} finally {
  cleanup();
}
const output = { generatedAt: new Date().toISOString(), node: process.version, cases: results };
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
