import type { Probot } from "probot";
import { RepoFileCache } from "../github/files.js";
import { LabelMaker } from "../github/labels.js";
import { RepoInfoCache } from "../github/repos.js";
import { StatusComments } from "../github/status-comment.js";
import { DeliveryLog } from "./deliveries.js";
import { KeyedMutex } from "./keyed-mutex.js";

/** The process-wide state of the app: caches, the per-issue queue and the delivery log. */
export interface Runtime {
  files: RepoFileCache;
  comments: StatusComments;
  labels: LabelMaker;
  repos: RepoInfoCache;
  issueQueue: KeyedMutex;
  deliveries: DeliveryLog;
  now: () => Date;
  /** `<slug>[bot]`: the account the app's own writes come from. */
  botLogin: () => Promise<string>;
}

export function createRuntime(app: Probot, overrides: Partial<Runtime> = {}): Runtime {
  let login: Promise<string> | null = null;
  const botLogin =
    overrides.botLogin ??
    (() => {
      login ??= (async () => {
        const octokit = await app.auth();
        const { data } = await octokit.rest.apps.getAuthenticated();
        if (!data?.slug) throw new Error("GET /app returned no slug");
        return `${data.slug}[bot]`;
      })().catch((error: unknown) => {
        login = null;
        throw error;
      });
      return login;
    });
  return {
    files: new RepoFileCache(),
    comments: new StatusComments(botLogin),
    labels: new LabelMaker(),
    repos: new RepoInfoCache(),
    issueQueue: new KeyedMutex(),
    deliveries: new DeliveryLog(),
    now: () => new Date(),
    botLogin,
    ...overrides,
  };
}
