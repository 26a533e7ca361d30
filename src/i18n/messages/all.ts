import type { Catalog, Messages } from "../index.js";
import { actionItemMessages } from "./action-items.js";
import { formatting } from "./formatting.js";
import { digest } from "./digest.js";
import { init } from "./init.js";
import { levels } from "./levels.js";
import { pullRequests } from "./pull-requests.js";
import { roles } from "./roles.js";
import { security } from "./security.js";
import { similar } from "./similar.js";
import { timestampMessages } from "./timestamps.js";
import { validation } from "./validation.js";

import { cliMessages } from "./cli.js";
import { commandMessages } from "./commands.js";
import { followUpMessages } from "./follow-ups.js";
import { readingListMessages } from "./reading-list.js";
import { reminderMessages } from "./reminders.js";
import { setupMessages } from "./setup.js";
import { slackMessages } from "./slack.js";
import { labelMessages } from "./labels.js";
import { metricsIssueMessages } from "./metrics-issue.js";
import { metricsMessages } from "./metrics.js";
import { reportMessages } from "./report.js";
import { statusMessages } from "./status.js";
/** Every catalog, for the test that renders each key in each language. Add new catalogs here. */
export const ALL_CATALOGS: Catalog<Messages>[] = [formatting, timestampMessages, actionItemMessages, validation, roles, init, security, similar, pullRequests, digest, levels, cliMessages, commandMessages, followUpMessages, readingListMessages, reminderMessages, setupMessages, slackMessages, labelMessages, metricsIssueMessages, metricsMessages, reportMessages, statusMessages] as unknown as Catalog<Messages>[];
