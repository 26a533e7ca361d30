// Webhook latency and throughput: the real app and the floor app, side by
// side in one run, against the stand-in (in this process, zero latency, its
// webhooks to the app off during the load so only the benchmark's deliveries
// reach the app).
import autocannon from "autocannon";
import { drain, loadRun } from "./load.js";
import { fixtureBody, INSTALLATION_ID, OWNER, POSTMORTEM_LABEL, REPO, typoEdit } from "./scenarios.js";
import { log, mb, median, round, sleep } from "./util.js";

export const LOAD_REPO = "load";

/**
 * Prepares `count` warm postmortem issues in acme/load: the first is opened
 * through the app (it writes the status comment and labels); the others get a
 * copy of that comment and those labels as setup, so no throttled writes are
 * needed. Then two rounds of edits through the app: the first warms its
 * caches, the second must cost 1 call each. Returns each issue's last edited
 * delivery body (exact bytes, as GitHub would send it).
 */
export async function prepareLoadIssues(standin, count, configText, template = null) {
  const complete = fixtureBody("complete");
  let repo = REPO;
  let statusBody;
  let labels;
  let first;
  if (template) {
    // An issue the app already checked (in the scenarios): copy its status comment and labels.
    first = template.number;
    const c = standin.comments(OWNER, REPO, first).find((x) => x.user.login === standin.botLogin);
    if (!c) throw new Error("load setup: the template issue has no status comment");
    statusBody = c.body;
    labels = standin.issue(OWNER, REPO, first).labels.map((l) => l.name);
  } else {
    repo = LOAD_REPO;
    standin.addRepo({
      owner: OWNER,
      name: LOAD_REPO,
      private: true,
      installationId: INSTALLATION_ID,
      labels: [{ name: POSTMORTEM_LABEL, color: "5319e7" }],
      files: configText ? { ".github/postmortem.yml": configText } : {},
    });
    const issue = await standin.openIssue({ owner: OWNER, repo, title: "[Postmortem] Load 1", body: complete, labels: [POSTMORTEM_LABEL], user: "alice" });
    await standin.idle({ quietMs: 100, timeoutMs: 60_000 });
    first = issue.number;
    const c = standin.comments(OWNER, repo, first).find((x) => x.user.login === standin.botLogin);
    if (!c) throw new Error("load setup: the app wrote no status comment on the first load issue");
    statusBody = c.body;
    labels = standin.issue(OWNER, repo, first).labels.map((l) => l.name);
  }
  const numbers = [first];
  standin.webhooksEnabled = false;
  try {
    for (let i = 2; i <= count; i++) {
      const issue = await standin.openIssue({ owner: OWNER, repo, title: `[Postmortem] Load ${i}`, body: complete, labels, user: "alice" });
      await standin.comment(OWNER, repo, issue.number, statusBody, standin.botLogin);
      numbers.push(issue.number);
    }
  } finally {
    standin.webhooksEnabled = true;
  }
  const edit = async (round) => {
    const mark = standin.mark();
    for (const n of numbers) await standin.editIssue(OWNER, repo, n, { body: typoEdit(complete, `load-${round}`) }, "alice");
    await standin.idle({ quietMs: 100, timeoutMs: 60_000 });
    return mark;
  };
  await edit(1);
  const mark = await edit(2);
  const deliveries = standin.deliveriesSince(mark).filter((d) => d.event === "issues" && d.action === "edited");
  const warmCalls = standin.apiCallsSince(mark);
  const perIssue = numbers.map((n) => {
    const d = deliveries.find((x) => x.payload?.issue?.number === n);
    if (!d) throw new Error(`load setup: no edited delivery for issue ${n}`);
    return { number: n, body: Buffer.from(d.body), calls: warmCalls.filter((c) => c.deliveryId === d.id).length };
  });
  return {
    repo,
    issues: perIssue,
    statusLabels: labels,
    statusHeadline: statusBody.split("\n").find((l) => l.startsWith("### ")) ?? null,
    warmCallsPerDelivery: standin.describeCalls(warmCalls.filter((c) => c.deliveryId === deliveries[0]?.id)),
  };
}

function summarize(run) {
  return {
    p50: run.latencyMs.p50,
    p99: run.latencyMs.p99,
    throughput: run.throughput,
    rssMB: mb(run.appRssMaxBytes),
  };
}

/**
 * @param {{ standin: any, apps: { floor: any, app: any }, secret: string, clkTck: number,
 *           single: Buffer[], multi: Buffer[], rates: number[], stepS: number, maxS: number, maxRuns: number }} o
 */
export async function runWebhookBench(o) {
  const { standin, apps } = o;
  standin.webhooksEnabled = false;
  const run = async (which, opts) => {
    const target = apps[which];
    const r = await loadRun({ url: target.url, secret: o.secret, pid: target.pid, clkTck: o.clkTck, standin, ...opts });
    await drain(standin);
    await sleep(300);
    return r;
  };

  // JIT warm-up for both (not recorded).
  for (const which of ["floor", "app"]) {
    log(`warm-up ${which}`);
    await run(which, { bodies: o.multi, connections: 10, durationS: 2 });
  }

  const steps = [];
  for (const [i, rate] of o.rates.entries()) {
    const order = i % 2 === 0 ? ["floor", "app"] : ["app", "floor"];
    const step = { rate };
    for (const which of order) {
      log(`rate ${rate}/s ${which}`);
      step[which] = await run(which, { bodies: o.single, rate, durationS: o.stepS });
    }
    step.ratio = ratios(step.app, step.floor);
    steps.push(step);
  }

  const maxRuns = async (bodies, label) => {
    const runs = { floor: [], app: [] };
    for (let i = 0; i < o.maxRuns; i++) {
      const order = i % 2 === 0 ? ["floor", "app"] : ["app", "floor"];
      for (const which of order) {
        log(`max throughput (${label}) run ${i + 1} ${which}`);
        runs[which].push(await run(which, { bodies, connections: 10, durationS: o.maxS }));
      }
    }
    const med = (which) => ({
      runs: runs[which],
      median: {
        throughput: median(runs[which].map((r) => r.throughput)),
        p50: median(runs[which].map((r) => r.latencyMs.p50)),
        p99: median(runs[which].map((r) => r.latencyMs.p99)),
        rssMaxMB: mb(Math.max(...runs[which].map((r) => r.appRssMaxBytes ?? 0))),
        appCpuPercent: median(runs[which].map((r) => r.appCpuPercent)),
        driverEventLoopUtilization: median(runs[which].map((r) => r.driverEventLoopUtilization)),
        errors: runs[which].reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0),
        apiCallsPerDelivery: median(runs[which].map((r) => r.apiCallsPerDelivery)),
      },
    });
    const floor = med("floor");
    const app = med("app");
    return {
      issues: bodies.length,
      floor,
      app,
      ratio: {
        p50: floor.median.p50 ? round(app.median.p50 / floor.median.p50, 2) : null,
        throughput: floor.median.throughput ? round(app.median.throughput / floor.median.throughput, 2) : null,
      },
    };
  };
  const max = await maxRuns(o.single, "one issue");
  const maxMulti = o.multi.length > 1 ? await maxRuns(o.multi, `${o.multi.length} issues`) : null;

  // The stand-in alone (same process as the driver): GET the issue with an installation token.
  log("stand-in alone");
  const standinAlone = await standinCapacity(standin, o.maxS, { repo: o.repo, issueNumber: o.issueNumber });

  return { steps, max, maxMulti, standinAlone, summary: steps.map((s) => ({ rate: s.rate, floor: summarize(s.floor), app: summarize(s.app) })) };
}

function ratios(app, floor) {
  return {
    p50: floor.latencyMs.p50 ? round(app.latencyMs.p50 / floor.latencyMs.p50, 2) : null,
    p99: floor.latencyMs.p99 ? round(app.latencyMs.p99 / floor.latencyMs.p99, 2) : null,
    throughput: floor.throughput ? round(app.throughput / floor.throughput, 2) : null,
  };
}

async function standinCapacity(standin, durationS, o) {
  const token = standin.createInstallationToken(INSTALLATION_ID);
  const url = `${standin.apiBase}/repos/${OWNER}/${o.repo}/issues/${o.issueNumber}`;
  const res = await new Promise((resolve, reject) => {
    autocannonGet(url, token, durationS, resolve, reject);
  });
  return res;
}

function autocannonGet(url, token, durationS, resolve, reject) {
  const latencies = [];
  const inst = autocannon(
    {
      url,
      connections: 10,
      duration: durationS,
      headers: { authorization: `token ${token}`, accept: "application/vnd.github+json", "user-agent": "bench" },
    },
    (err, res) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      resolve({
        throughput: round(res["2xx"] / res.duration, 1),
        p50: round(latencies[Math.floor(latencies.length / 2)] ?? null, 2),
        non2xx: res.non2xx,
        errors: res.errors,
      });
    },
  );
  inst.on("response", (_c, status, _b, t) => {
    if (status >= 200 && status < 300) latencies.push(t);
  });
}
