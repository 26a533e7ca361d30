import type { Runtime } from "../runtime/runtime.js";
import { helpText, type CommandSpec } from "./commands.js";
import { reconcilePostmortem } from "./postmortem.js";

/** Every `/postmortem` command. The help text and the README's table come from this list. */
export function commandRegistry(runtime: Runtime): CommandSpec[] {
  const registry: CommandSpec[] = [
    {
      name: "help",
      usage: "/postmortem help",
      description: "Show this list.",
      run: async () => ({ ok: true, reply: helpText(registry) }),
    },
    {
      name: "check",
      usage: "/postmortem check",
      description: "Check the postmortem again now and update its status comment.",
      run: async ({ octokit, installationId, owner, repo, issueNumber }) => {
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber });
        return result.outcome === "skipped" ? { ok: false, reply: `This issue is not a postmortem (${result.reason}).` } : { ok: true };
      },
    },
    {
      name: "publish",
      usage: "/postmortem publish",
      description: "Publish the reviewed postmortem: file each action item as a follow-up issue (when `follow_ups.publish_on: command`).",
      run: async ({ octokit, installationId, owner, repo, issueNumber }) => {
        const setup = await runtime.files.setup(octokit, installationId, { owner, repo });
        const config = setup.ok ? setup.setup.config : setup.config;
        if (config && config.follow_ups.publish_on !== "command") {
          const how =
            config.follow_ups.publish_on === "label"
              ? `by adding the \`${config.follow_ups.published_label}\` label`
              : "by closing the postmortem as completed";
          return { ok: false, reply: `This repository publishes postmortems ${how} (\`follow_ups.publish_on: ${config.follow_ups.publish_on}\`), not by command.` };
        }
        const result = await reconcilePostmortem(octokit, runtime, { installationId, owner, repo, issueNumber }, { kind: "publish-command" });
        if (result.outcome === "skipped") return { ok: false, reply: `This issue is not a postmortem (${result.reason}).` };
        if (result.outcome !== "ready" || result.publishRefused) return { ok: false, reply: "Publishing was refused: the postmortem still has problems. The status comment lists them." };
        return { ok: true };
      },
    },
  ];
  return registry;
}
