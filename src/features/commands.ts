import { lines, outline } from "../form/blocks.js";
import type { Octokit } from "../github/octokit.js";

/** One `/postmortem <name> [args]` line of a comment. */
export interface Command {
  name: string;
  args: string[];
}

const COMMAND_LINE = /^ {0,3}\/postmortem(?:[ \t]+(.*))?$/;

/**
 * The commands in a comment: lines that start with `/postmortem`, outside
 * fenced code and block quotes (a quoted or pasted command is not an order).
 */
export function parseCommands(body: string): Command[] {
  const fences = outline(body).fences;
  const commands: Command[] = [];
  for (const line of lines(body)) {
    const text = body.slice(line.start, line.end);
    if (fences.some((f) => line.start >= f.start && line.start < f.end)) continue;
    const match = COMMAND_LINE.exec(text);
    if (!match) continue;
    const [name = "help", ...args] = (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
    commands.push({ name: name.toLowerCase(), args });
  }
  return commands;
}

/** What a command handler gets: the issue it was written on, who wrote it, and its arguments. */
export interface CommandContext {
  octokit: Octokit;
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
  sender: string;
  args: string[];
}

/** A handler's answer: done (🚀), or failed (😕) with a reply saying why. */
export type CommandResult = { ok: true; reply?: string } | { ok: false; reply: string };

export interface CommandSpec {
  name: string;
  usage: string;
  description: string;
  run: (context: CommandContext) => Promise<CommandResult>;
}

/** The help text, from the same registry that dispatches, so they cannot disagree. */
export function helpText(registry: readonly CommandSpec[]): string {
  return [
    "**postmortem-bot commands** (people with triage permission or more on this repository):",
    "",
    "| Command | What it does |",
    "| --- | --- |",
    ...registry.map((c) => `| \`${c.usage}\` | ${c.description} |`),
  ].join("\n");
}
