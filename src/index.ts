import type { ApplicationFunctionOptions, Context, Probot } from "probot";
import { reconcileCheck } from "./features/check.js";
import { issueKey } from "./github/status-comment.js";
import { isStatusComment } from "./postmortem/status.js";
import { createRuntime, type Runtime } from "./runtime/runtime.js";

type IssueEvent = "issues.opened" | "issues.edited" | "issues.reopened" | "issues.labeled";

/**
 * postmortem-bot: the map of events to features.
 *
 * - issues opened / reopened / edited (body) / labeled (postmortem label) -> the check
 * - push touching .github/ -> drop cached config and forms
 * - issue_comment edited / deleted on the status comment -> forget the cached copy
 */
export default function postmortemBot(app: Probot, _options?: ApplicationFunctionOptions, runtime: Runtime = createRuntime(app)): void {
  const handle = handlerFor(runtime);

  app.on(["issues.opened", "issues.reopened", "issues.edited", "issues.labeled"], async (context: Context<IssueEvent>) => {
    const { payload } = context;
    if (payload.action === "edited" && !payload.changes.body) return;
    await handle(context, async (octokit, installationId) => {
      if (payload.action === "labeled") {
        const setup = await runtime.files.setup(octokit, installationId, context.repo());
        const postmortemLabel = setup.ok ? setup.setup.config.label : (setup.config?.label ?? "postmortem");
        if (payload.label?.name.toLowerCase() !== postmortemLabel.toLowerCase()) return;
      }
      const { owner, repo } = context.repo();
      const result = await reconcileCheck(octokit, runtime, { installationId, owner, repo, issueNumber: payload.issue.number });
      context.log.info({ event: `${context.name}.${payload.action}`, issue: payload.issue.number, result }, "check reconciled");
    });
  });

  app.on("push", async (context) => {
    const { payload } = context;
    if (payload.ref !== `refs/heads/${payload.repository.default_branch}`) return;
    const touched = payload.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
    if (payload.commits.length > 0 && !touched.some((path) => path.startsWith(".github/"))) return;
    const installationId = payload.installation?.id;
    if (installationId === undefined) return;
    runtime.files.invalidateOwner(installationId, context.repo().owner);
    context.log.info({ repo: payload.repository.full_name }, "config and form cache invalidated");
  });

  app.on(["issue_comment.edited", "issue_comment.deleted"], async (context) => {
    const { payload } = context;
    const previousBody = (payload as { changes?: { body?: { from?: string } } }).changes?.body?.from;
    const wasStatus = isStatusComment(payload.comment.body) || isStatusComment(previousBody);
    if (!wasStatus || (await isOwnEvent(runtime, context))) return;
    const installationId = payload.installation?.id;
    if (installationId !== undefined) runtime.comments.forget(issueKey(installationId, context.issue()));
  });
}

/**
 * Every issue handler runs through here: the app's own events are dropped
 * (no loops), a delivery is handled once, and one issue is worked on at a time.
 */
function handlerFor(runtime: Runtime) {
  return async (
    context: Context<IssueEvent>,
    work: (octokit: Context["octokit"], installationId: number) => Promise<void>,
  ): Promise<void> => {
    const installationId = context.payload.installation?.id;
    if (installationId === undefined) return;
    if (await isOwnEvent(runtime, context)) return;
    if (!runtime.deliveries.claim(context.id)) {
      context.log.debug({ delivery: context.id }, "duplicate delivery ignored");
      return;
    }
    try {
      await runtime.issueQueue.run(issueKey(installationId, context.issue()), () => work(context.octokit, installationId));
    } catch (error) {
      runtime.deliveries.release(context.id);
      throw error;
    }
  };
}

async function isOwnEvent(runtime: Runtime, context: Context): Promise<boolean> {
  const sender = (context.payload as { sender?: { type?: string; login?: string } }).sender;
  if (sender?.type !== "Bot") return false;
  return sender.login === (await runtime.botLogin());
}
