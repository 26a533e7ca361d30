// CPU profiles (node --cpu-prof) of an app process under load, summarised as
// top self-time functions and self time per package.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT, round } from "./util.js";

function where(url) {
  if (!url) return "";
  const path = url.startsWith("file://") ? decodeURIComponent(url.slice(7)) : url;
  return path.startsWith("/") ? relative(REPO_ROOT, path) : path;
}

function packageOf(url) {
  if (!url) return "(native / V8)";
  if (url.startsWith("node:")) return "node (core)";
  const path = where(url);
  const nm = path.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : (rest[0] ?? path);
  }
  if (path.startsWith("lib/")) return "postmortem-bot (lib/)";
  return path;
}

/**
 * Reads the newest .cpuprofile in `dir` and summarises it: self time per
 * function and per package, and inclusive time of the app's own functions.
 * `window` ({ fromEndMs, toEndMs }) keeps only the samples taken between
 * that long before the end of the profile (process exit) and that long
 * before it, e.g. the load, without start-up.
 */
export function summarizeProfile(dir, top = 15, window = null) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  if (files.length === 0) return null;
  const profile = JSON.parse(readFileSync(join(dir, files.sort().at(-1)), "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const end = profile.endTime;
  const from = window ? end - window.fromEndMs * 1000 : -Infinity;
  const to = window ? end - window.toEndMs * 1000 : Infinity;
  const self = new Map();
  const inclusive = new Map();
  let t = profile.startTime;
  let idle = 0;
  let total = 0;
  const keyOf = (cf) => {
    const special = cf.functionName.startsWith("(") && !cf.url;
    return special ? cf.functionName : `${cf.functionName || "(anonymous)"} ${where(cf.url)}:${cf.lineNumber + 1}`;
  };
  for (let i = 0; i < samples.length; i++) {
    const dt = Math.max(0, deltas[i] ?? 0);
    t += dt;
    if (t < from || t > to) continue;
    const node = byId.get(samples[i]);
    if (!node) continue;
    total += dt;
    if (node.callFrame.functionName === "(idle)") {
      idle += dt;
      continue;
    }
    self.set(node.id, (self.get(node.id) ?? 0) + dt);
    // Inclusive time of the app's own functions (lib/): each function once per sample.
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)?.callFrame;
      if (!cf || !where(cf.url).startsWith("lib/")) continue;
      const k = keyOf(cf);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const fns = new Map();
  const pkgs = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const special = cf.functionName.startsWith("(") && !cf.url;
    const k = keyOf(cf);
    fns.set(k, (fns.get(k) ?? 0) + us);
    const pkg = special ? cf.functionName : packageOf(cf.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const busy = total - idle;
  const rows = (m, n = top) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, selfMs: round(us / 1000, 1), percentOfBusy: round((us / busy) * 100, 1) }));
  return {
    file: files.at(-1),
    windowed: Boolean(window),
    wallMs: round(total / 1000, 0),
    busyMs: round(busy / 1000, 0),
    idleMs: round(idle / 1000, 0),
    topFunctions: rows(fns),
    byPackage: rows(pkgs),
    appInclusive: rows(inclusive, 12).map((r) => ({ name: r.name, inclusiveMs: r.selfMs, percentOfBusy: r.percentOfBusy })),
  };
}

/**
 * `probot run` (the CLI) installs no signal handler, and a process killed by a
 * signal writes no --cpu-prof profile: this preload makes SIGINT/SIGTERM exit
 * normally. Returns the node arguments for a profiled app process.
 */
export function profilingNodeArgs(dir) {
  const hook = join(dir, "exit-on-signal.mjs");
  writeFileSync(hook, 'for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(0));\n');
  return ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", pathToFileURL(hook).href];
}
