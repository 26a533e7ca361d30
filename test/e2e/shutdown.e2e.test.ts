import { afterAll, describe, expect, it } from "vitest";
import { STATUS_MARKER } from "../../src/postmortem/status.js";
import { body, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";

let stack: E2EStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

describe("SIGTERM", () => {
  it("finishes the webhook in flight, then exits 0", async () => {
    stack = await startStack({
      setup: (standin) => {
        standin.addInstallation({ id: 5, account: "acme" });
        // The labels exist already, as in an org that has used the app before, so the handler is short.
        const labels = ["postmortem", "postmortem: incomplete", "postmortem: ready", "postmortem: published", "postmortem: actions done", "recommended", "recommended: lessons", "recommended: architecture", "recommended: response"];
        standin.addRepo({ owner: "acme", name: "pm", installationId: 5, labels: labels.map((name) => ({ name })), files: { ".github/postmortem.yml": TEAMS_CONFIG_TEXT } });
      },
    });
    const { standin, app } = stack;
    // Slow the first read of the issue so the handler is mid-flight when the signal comes.
    const slow = standin.injectFault({ route: "GET /repos/{owner}/{repo}/issues/{issue_number}", times: 1, delayMs: 1_500 });
    standin.webhooksEnabled = false;
    const issue = await standin.openIssue({ owner: "acme", repo: "pm", title: "PM", body: body("incomplete"), labels: ["postmortem"], user: "alice" });
    const opened = standin.sendWebhook("issues", {
      action: "opened",
      issue,
      repository: { name: "pm", full_name: "acme/pm", owner: { login: "acme" }, private: false, default_branch: "main" },
      installation: { id: 5 },
      sender: { login: "alice", type: "User" },
    } as never);
    for (let i = 0; i < 200 && slow.hits === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(slow.hits).toBe(1);
    app.process.kill("SIGTERM");
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect((await opened).status).toBe(200);
    const comments = standin.comments("acme", "pm", issue.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(STATUS_MARKER)).toBe(true);
  }, 30_000);
});
