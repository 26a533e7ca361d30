import { afterAll, describe, expect, it } from "vitest";
import { body, TEAMS_CONFIG_TEXT } from "../helpers/fixtures.js";
import { startStack, type E2EStack } from "./harness.js";

let stack: E2EStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

describe("logs", () => {
  it("never contain the installation token, the private key or the webhook secret, even at trace level", async () => {
    const secret = "e2e-secret-4f1c9a7b";
    stack = await startStack({
      secret,
      env: { LOG_LEVEL: "trace" },
      setup: (standin) => {
        standin.addInstallation({ id: 6, account: "acme" });
        standin.addRepo({ owner: "acme", name: "pm", installationId: 6, labels: [{ name: "postmortem" }], files: { ".github/postmortem.yml": TEAMS_CONFIG_TEXT } });
      },
    });
    const { standin, app, key } = stack;
    await standin.openIssue({ owner: "acme", repo: "pm", title: "PM", body: body("incomplete"), labels: ["postmortem"], user: "alice" });
    await standin.idle();
    const logs = app.stdout() + app.stderr();
    expect(logs.length).toBeGreaterThan(1000); // trace logging really ran
    expect(standin.comments("acme", "pm", 1)).toHaveLength(1);
    expect(logs).not.toMatch(/ghs_[A-Za-z0-9]+/);
    expect(logs).not.toContain("PRIVATE KEY");
    expect(logs).not.toContain(key.privateKey.split("\n")[1]!);
    expect(logs).not.toContain(secret);
  }, 30_000);
});
