import { pathToFileURL } from "node:url";
import { init, INIT_USAGE } from "./init.js";
import { lint, LINT_USAGE } from "./lint.js";
import { report, REPORT_USAGE } from "./report.js";
import { sweep, SWEEP_USAGE } from "./sweep.js";
import { processIO, UsageError, type CliIO } from "./io.js";

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

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err((error as Error).message);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
