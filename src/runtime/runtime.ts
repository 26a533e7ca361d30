import type { Probot } from "probot";
import { RepoFileCache } from "../github/files.js";
import { LabelMaker } from "../github/labels.js";
import { Permissions } from "../github/permissions.js";
import { RepoInfoCache } from "../github/repos.js";
import { SimilarPostmortems } from "../features/similar.js";
import { StatusComments } from "../github/status-comment.js";
import type { OverdueItem, PublishedNotice, RecommendedNotice } from "../integrations/slack.js";
import type { Validation } from "../postmortem/validate.js";
import type { Language } from "../i18n/index.js";
import { createMemoryCoordinator, type Coordinator } from "./coordination.js";
import { ValidationCache } from "./validation-cache.js";

/** The process-wide state of the app: caches, and the coordinator that serializes and de-duplicates work. */
export interface Runtime {
  /** In memory for one replica; Redis when REDIS_URL is set, so replicas agree. */
  coordinator: Coordinator;
  files: RepoFileCache;
  comments: StatusComments;
  labels: LabelMaker;
  repos: RepoInfoCache;
  /** Collaborator roles (60 s): who may cause which write. */
  permissions: Permissions;
  validations: ValidationCache;
  /** Each installation's similarity index (similar past postmortems); absent: the feature is off. */
  similar?: SimilarPostmortems;
  now: () => Date;
  /** `<slug>[bot]`: the account the app's own writes come from. */
  botLogin: () => Promise<string>;
  /** Prometheus: counts and TTD/TTR of the postmortems the app sees. */
  observe?: (validation: Validation, key: string) => void;
  /** Optional Slack notices; never awaited, never able to fail the GitHub work. */
  notify?: Notify;
}

export interface Notify {
  published(notice: PublishedNotice): void;
  recommended(notice: RecommendedNotice): void;
  /** `language`: of the config of the first repository whose follow-ups are in the digest (see reminders.ts). */
  overdue(owner: string, items: OverdueItem[], language: Language): void;
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
  const coordinator = overrides.coordinator ?? createMemoryCoordinator();
  const now = overrides.now ?? (() => new Date());
  return {
    coordinator,
    files: new RepoFileCache(coordinator),
    comments: new StatusComments(botLogin, coordinator),
    labels: new LabelMaker(),
    repos: new RepoInfoCache(),
    permissions: new Permissions(),
    validations: new ValidationCache(),
    similar: new SimilarPostmortems({ now }),
    now,
    botLogin,
    ...overrides,
  };
}
