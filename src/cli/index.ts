import { pathToFileURL } from "node:url";
import { init, INIT_USAGE } from "./init.js";
import { lint, LINT_USAGE } from "./lint.js";
import { report, REPORT_USAGE } from "./report.js";
import { sweep, SWEEP_USAGE } from "./sweep.js";
import { messagesOf } from "../i18n/index.js";
import { cliMessages } from "../i18n/messages/cli.js";
import { languageInArgs, processIO, UsageError, type CliIO } from "./io.js";

const COMMANDS: Record<string, { usage: string; run: (argv: string[], io: CliIO) => Promise<number> }> = {
  init: { usage: INIT_USAGE, run: (argv, io) => init(argv, io) },
  doctor: { usage: INIT_USAGE.replace("postmortem-bot init", "postmortem-bot doctor"), run: (argv, io) => init(argv, io) },
  lint: { usage: LINT_USAGE, run: lint },
  report: { usage: REPORT_USAGE, run: (argv, io) => report(argv, io) },
  sweep: { usage: SWEEP_USAGE, run: (argv, io) => sweep(argv, io) },
};

export const USAGE = ["postmortem-bot <command>", "", "commands:", ...Object.values(COMMANDS).map((c) => `  ${c.usage.replace(/^usage: /, "")}`)].join(
  "\n",
);

/** Usage texts stay English (they show the syntax); errors follow `--lang` where the command has not read it yet. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  const m = messagesOf(cliMessages, languageInArgs(rest) ?? "en");
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`${m.unknownCommand(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      const message = (error as Error).message;
      // Node names the option (`'--now <value>'`) or the argument (`'x'`) in quotes.
      const named = (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" ? /'([^']*)'/ : /'([^' ,]+)/).exec(message)?.[1] ?? null;
      io.err(m.argumentError(code, message, named));
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
