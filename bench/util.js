// Small shared helpers for the benchmark (plain ESM, no dependencies).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(BENCH_DIR, "..");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function median(values) {
  const xs = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Percentile (nearest rank) of an unsorted array of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const xs = Float64Array.from(values).sort();
  const rank = Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1));
  return xs[rank];
}

export function round(x, digits = 2) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x ?? null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function machineInfo() {
  const cpus = os.cpus();
  let clkTck = 100;
  try {
    clkTck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    // Linux default
  }
  return {
    cpuModel: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} (${os.arch()})`,
    clkTck,
  };
}

/** Resident set size of a process in bytes (VmRSS), or null when it is gone. */
export function readRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time of a process in ms (from /proc/<pid>/stat), or null. */
export function readProcCpuMs(pid, clkTck = 100) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces; fields after ") " are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / clkTck;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs`; stop() returns { maxBytes, lastBytes }. */
export function rssSampler(pid, everyMs = 100) {
  let max = readRss(pid) ?? 0;
  let last = max;
  const timer = setInterval(() => {
    const v = readRss(pid);
    if (v !== null) {
      last = v;
      if (v > max) max = v;
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const v = readRss(pid);
      if (v !== null) {
        last = v;
        if (v > max) max = v;
      }
      return { maxBytes: max, lastBytes: last };
    },
  };
}

export const mb = (bytes) => (bytes === null || bytes === undefined ? null : round(bytes / 1024 / 1024, 1));

export function log(...args) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${args.join(" ")}\n`);
}
