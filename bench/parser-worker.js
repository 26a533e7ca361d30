// Runs parser timings in a worker thread, so the main thread can stop a call
// that never ends (adversarial input) by terminating the worker.
//
// Wall time (performance.now()) and CPU time (process.cpuUsage(): the whole
// process, but the main thread only waits meanwhile) are both recorded; CPU
// time is what other processes on the machine disturb least.
import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { makeFns, setups } from "./parser-setup.js";

const { jobs, options } = workerData;
const all = setups();
const fnsFor = { default: makeFns(all.default), acme: makeFns(all.acme) };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timeCalls(fn, body, n) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(body);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: wall / n, cpuMs: (cpu.user + cpu.system) / 1000 / n };
}

function warm(fn, body, warmMs, targetRunMs) {
  let calls = 0;
  const w0 = performance.now();
  while (performance.now() - w0 < warmMs || calls < 3) {
    fn(body);
    calls++;
  }
  const estimate = (performance.now() - w0) / calls;
  return Math.max(1, Math.ceil(targetRunMs / Math.max(estimate, 1e-4)));
}

const summary = (runs, n, extra = {}) => ({
  perCallMs: median(runs.map((x) => x.wallMs)),
  cpuMs: median(runs.map((x) => x.cpuMs)),
  minMs: Math.min(...runs.map((x) => x.wallMs)),
  minCpuMs: Math.min(...runs.map((x) => x.cpuMs)),
  runs: runs.length,
  callsPerRun: n,
  single: false,
  ...extra,
});

// Warm the JIT on a mid-sized real-shaped body before anything is timed.
if (workerData.warmupBody) {
  const t0 = performance.now();
  while (performance.now() - t0 < options.globalWarmMs) {
    fnsFor.default.validate(workerData.warmupBody);
    fnsFor.default.issueParser(workerData.warmupBody);
    fnsFor.default.parseBody(workerData.warmupBody);
  }
}

// Precise jobs (real-shaped bodies): warmed one by one, then timed in
// interleaved rounds (one run of every job per round), so a disturbance
// during the measurement spreads over all sizes instead of hitting one.
const precise = jobs.filter((j) => j.precise);
if (precise.length) {
  const o = { ...options, ...options.precise };
  const plan = precise.map((job) => {
    parentPort.postMessage({ type: "start", key: job.key });
    const fn = fnsFor[job.setup][job.fn];
    const n = warm(fn, job.body, o.warmMs, o.targetRunMs);
    parentPort.postMessage({ type: "progress", key: job.key });
    return { job, fn, n, runs: [] };
  });
  for (let round = 0; round < o.runs; round++) {
    for (const p of plan) {
      p.runs.push(timeCalls(p.fn, p.job.body, p.n));
      parentPort.postMessage({ type: "progress", key: p.job.key });
    }
  }
  for (const p of plan) parentPort.postMessage({ type: "result", key: p.job.key, result: summary(p.runs, p.n, { interleaved: true }) });
}

// Series (kind, placement, function) in which a smaller body was already too slow.
const tooSlow = new Map();

for (const job of jobs.filter((j) => !j.precise)) {
  if (tooSlow.has(job.series)) {
    parentPort.postMessage({ type: "result", key: job.key, result: { skipped: true, reason: tooSlow.get(job.series) } });
    continue;
  }
  parentPort.postMessage({ type: "start", key: job.key });
  const fn = fnsFor[job.setup][job.fn];
  // Cold call (includes any lazy setup and JIT for this input). A call that throws is a result too.
  let cold;
  try {
    cold = timeCalls(fn, job.body, 1);
  } catch (e) {
    const error = `${e?.name ?? "Error"}: ${e?.message ?? String(e)}`;
    tooSlow.set(job.series, `a smaller body already threw (${error})`);
    parentPort.postMessage({ type: "result", key: job.key, result: { threw: error } });
    continue;
  }
  parentPort.postMessage({ type: "progress", key: job.key });
  if (cold.wallMs >= options.slowMs) {
    tooSlow.set(job.series, `a smaller body already took ${Math.round(cold.wallMs)} ms per call`);
    parentPort.postMessage({
      type: "result",
      key: job.key,
      result: { perCallMs: cold.wallMs, cpuMs: cold.cpuMs, minMs: cold.wallMs, minCpuMs: cold.cpuMs, runs: 1, callsPerRun: 1, single: true },
    });
    continue;
  }
  let n = 1;
  let runCount = options.runs;
  // A slow call: the cold one and two more, median of the three.
  const runs = [];
  if (cold.wallMs >= options.repeatBelowMs) {
    runs.push(cold);
    runCount = 2;
  } else {
    n = warm(fn, job.body, options.warmMs, options.targetRunMs);
  }
  for (let r = 0; r < runCount; r++) {
    runs.push(timeCalls(fn, job.body, n));
    parentPort.postMessage({ type: "progress", key: job.key });
  }
  parentPort.postMessage({ type: "result", key: job.key, result: summary(runs, n) });
}
parentPort.postMessage({ type: "done" });
