#!/usr/bin/env node
// Similar past postmortems at scale: what the lookup of an installation with 5,000 postmortems
// costs. The first lookup builds the installation's index (src/features/similar.ts): API calls
// and CPU of that build; then each lookup (a postmortem becoming ready, `/postmortem similar`)
// runs on the warm index: its CPU, and its calls (none). Read from the GitHub stand-in over
// loopback HTTP, in a child process (lib/, so `npm run build` first) whose CPU is read with
// process.cpuUsage() around each phase; the stand-in's CPU, in this process, is not counted.
// The CLI's unthrottled Octokit is used: in the app, Probot spaces GraphQL requests 1 s apart,
// which adds wall time (about one second per call) but no calls.
//
// Usage: node bench/similar.js [--json <file>]
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadStandin } from "./standin.js";
import { log, REPO_ROOT, round } from "./util.js";

const args = process.argv.slice(2);
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const LOOKUPS = 200;

const CASES = [
  { name: "5,000 postmortems, 1 repository", count: 5_000, repos: 1 },
  { name: "5,000 postmortems, org of 5 repositories", count: 5_000, repos: 5 },
];

// Incidents are made of a few themes, so that lookups find real neighbours; one in five is in Japanese.
const THEMES_EN = [
  ["Checkout connection pool exhausted", "The payments service shared one connection pool and set no timeout; under load every connection stayed busy.", "A campaign email"],
  ["Search disk full", "A search data node ran out of disk and its shards went read-only.", "Nightly reindexing"],
  ["Certificate expired", "Nobody renewed the TLS certificate of the media CDN; the renewal job had been disabled.", "The certificate's expiry date"],
  ["Queue backlog after deploy", "A consumer deploy halved the worker count and the notification queue backed up.", "A deploy"],
  ["DNS resolution failures", "The resolver cache was too small for the new service mesh and upstream lookups timed out.", "A traffic spike"],
  ["Database failover took too long", "Replica lag was not monitored, so the failover waited for replication to catch up.", "A primary database host failure"],
];
const THEMES_JA = [
  ["決済APIの接続プール枯渇", "決済サービスの接続プールが枯渇し、タイムアウトが多発しました。", "キャンペーンメール"],
  ["検索クラスタのディスク満杯", "検索ノードのディスクが満杯になり、シャードが読み取り専用になりました。", "夜間の再インデックス"],
  ["証明書の期限切れ", "メディア配信の証明書が更新されず、期限が切れました。", "証明書の有効期限"],
];
const SERVICES = ["checkout", "search", "media", "notifications", "accounts"];

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function postmortem(i, rnd) {
  const ja = i % 5 === 4;
  const themes = ja ? THEMES_JA : THEMES_EN;
  const [title, causes, trigger] = themes[Math.floor(rnd() * themes.length)];
  const service = SERVICES[Math.floor(rnd() * SERVICES.length)];
  const none = "_No response_";
  const body = [
    ["Summary", ja ? `${service} で障害が発生しました（事例 ${i}）。` : `Users of ${service} saw errors (case ${i}).`],
    ["Severity", `SEV${1 + (i % 4)}`],
    ["Impact started", "2026-05-01T05:00:00Z"],
    ["Detected", "2026-05-01T05:12:00Z"],
    ["Mitigated", none],
    ["Recovered", "2026-05-01T06:38:00Z"],
    ["Impact", "About 1,200 learners saw failed requests."],
    ["Root causes", causes],
    ["Trigger", trigger],
    ["Resolution", "Rolled back."],
    ["Detection", "The error-rate alert."],
    ["Action items", "- [ ] Alert earlier — owner: @alice type: detect"],
    ["What went well", none],
    ["What went wrong", none],
    ["Where we got lucky", none],
    ["Timeline", "- 14:00 deploy"],
    ["Supporting information", none],
    ["Blameless review", "- [X] This postmortem is blameless: it describes systems and decisions, not people at fault."],
  ]
    .map(([label, answer]) => `### ${label}\r\n\r\n${answer}`)
    .join("\r\n\r\n");
  return { title: `${title} (${i + 1})`, body };
}

const CHILD = `
const [libUrl, owner, lookups] = process.argv.slice(1);
const lib = (p) => import(new URL(p, libUrl).href);
const { createCliOctokit } = await lib("cli/report.js");
const { SimilarPostmortems } = await lib("features/similar.js");
const { docFrom } = await lib("postmortem/similarity.js");
const { defaultConfig } = await lib("config/schema.js");
const { defaultForm } = await lib("config/setup.js");
const { parseBody } = await lib("form/body.js");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const io = { out: () => {}, err: () => {} };
const octokit = createCliOctokit(process.env.GITHUB_TOKEN, process.env.GITHUB_API_URL, io);
const form = defaultForm();
const queries = JSON.parse(process.env.QUERIES).map((q, i) => docFrom({ repo: owner + "/incidents-1", number: 100000 + i, title: q.title, url: "https://github.com/x", createdAt: "2030-01-01T00:00:00Z", isPublic: false }, parseBody(q.body, form), form, defaultConfig));
const similar = new SimilarPostmortems();
global.gc?.();
const heap0 = process.memoryUsage().heapUsed;
let c = cpu();
const first = await similar.suggest(octokit, 1, owner, queries[0], 3);
const buildCpuMs = cpu() - c;
global.gc?.();
const heapMB = (process.memoryUsage().heapUsed - heap0) / 1048576;
process.stdout.write(JSON.stringify({ phase: "built" }) + "\\n");
await new Promise((r) => process.stdin.once("data", r));
const times = [];
let found = 0;
for (let i = 0; i < Number(lookups); i++) {
  const q = queries[i % queries.length];
  c = cpu();
  const matches = await similar.suggest(octokit, 1, owner, q, 3);
  times.push(cpu() - c);
  found += matches.length;
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ phase: "done", buildCpuMs, heapMB, firstMatches: first.length, lookupCpuMsMedian: times[Math.floor(times.length / 2)], lookupCpuMsP90: times[Math.ceil(times.length * 0.9) - 1], lookupCpuMsMax: times.at(-1), meanMatches: found / times.length }) + "\\n");
`;

async function runCase(startStandin, publicKey, c) {
  const standin = await startStandin({ appId: 99, publicKey, now: () => new Date("2026-06-01T00:00:00Z") });
  try {
    standin.webhooksEnabled = false;
    standin.addInstallation({ id: 1, account: "acme" });
    standin.addRepo({ owner: "acme", name: ".github", installationId: 1 });
    const repos = Array.from({ length: c.repos }, (_, i) => `incidents-${i + 1}`);
    for (const name of repos) standin.addRepo({ owner: "acme", name, installationId: 1, private: true, labels: ["postmortem"] });
    const rnd = random(20261203);
    for (let i = 0; i < c.count; i++) {
      const { title, body } = postmortem(i, rnd);
      await standin.openIssue({ owner: "acme", repo: repos[i % repos.length], title, body, labels: ["postmortem"], user: "alice" });
    }
    const qrnd = random(7);
    const queries = Array.from({ length: 20 }, (_, i) => postmortem(i, qrnd));
    const env = { ...process.env, GITHUB_TOKEN: standin.createInstallationToken(1), GITHUB_API_URL: standin.apiBase, QUERIES: JSON.stringify(queries) };
    const child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", CHILD, pathToFileURL(join(REPO_ROOT, "lib/")).href, "acme", String(LOOKUPS)], { env, stdio: ["pipe", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const lines = [];
    let buffered = "";
    const nextLine = () =>
      new Promise((resolve, reject) => {
        const check = () => {
          const nl = buffered.indexOf("\n");
          if (nl >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            resolve(JSON.parse(line));
            return true;
          }
          return false;
        };
        if (check()) return;
        const onData = (d) => {
          buffered += d;
          if (check()) child.stdout.off("data", onData);
        };
        child.stdout.on("data", onData);
        child.once("exit", (code) => reject(new Error(`child exited ${code}: ${err.slice(0, 2000)}`)));
      });
    const mark = standin.mark();
    lines.push(await nextLine());
    const buildCalls = standin.apiCallsSince(mark);
    const warmMark = standin.mark();
    child.stdin.write("go\n");
    const done = await nextLine();
    const lookupCalls = standin.apiCallsSince(warmMark).length;
    child.stdin.end();
    const byRoute = {};
    for (const call of buildCalls) byRoute[`${call.route} ${call.status}`] = (byRoute[`${call.route} ${call.status}`] ?? 0) + 1;
    return {
      name: c.name,
      postmortems: c.count,
      repositories: c.repos,
      buildApiCalls: buildCalls.length,
      buildApiCallsByRoute: byRoute,
      buildCpuMs: round(done.buildCpuMs, 0),
      indexHeapMB: round(done.heapMB, 1),
      lookups: LOOKUPS,
      lookupApiCalls: lookupCalls,
      lookupCpuMsMedian: round(done.lookupCpuMsMedian, 2),
      lookupCpuMsP90: round(done.lookupCpuMsP90, 2),
      lookupCpuMsMax: round(done.lookupCpuMsMax, 2),
      meanMatches: round(done.meanMatches, 2),
    };
  } finally {
    await standin.close();
  }
}

const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const { startStandin, cleanup } = await loadStandin();
const results = [];
try {
  for (const c of CASES) {
    const r = await runCase(startStandin, publicKey, c);
    results.push(r);
    log(`${r.name}: build ${r.buildApiCalls} API calls, ${r.buildCpuMs} ms CPU, ${r.indexHeapMB} MB heap; lookup ${r.lookupApiCalls} calls, ${r.lookupCpuMsMedian} ms CPU median (p90 ${r.lookupCpuMsP90})`);
  }
} finally {
  cleanup();
}
const output = { generatedAt: new Date().toISOString(), node: process.version, cases: results };
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
