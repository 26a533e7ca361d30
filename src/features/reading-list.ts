import { languageOf } from "../config/setup.js";
import type { Config } from "../config/schema.js";
import type { RepoFileCache } from "../github/files.js";
import type { LabelMaker } from "../github/labels.js";
import { statusOf, type Octokit } from "../github/octokit.js";
import { formatReference } from "../postmortem/action-items.js";
import {
  entryFrom,
  isRecommended,
  pageNumber,
  pageTitle,
  pickSession,
  READING_LIST_LABEL,
  readEntries,
  readReadingState,
  renderReadingList,
  renderSession,
  stalePageBody,
  type ReadingEntry,
  type ReadingState,
} from "../postmortem/reading-list.js";
import { reasonDescription } from "../postmortem/reason-text.js";
import { validatePostmortem } from "../postmortem/validate.js";
import type { Coordinator } from "../runtime/coordination.js";
import type { Notify } from "../runtime/runtime.js";
import { SharedCache } from "../runtime/shared-cache.js";
import type { Permissions } from "../github/permissions.js";
import { mayCopy, type RepoInfoCache } from "../github/repos.js";
import { createHash } from "node:crypto";
import { slackTitle } from "./postmortem.js";
import { messagesOf, type Language } from "../i18n/index.js";
import { readingListMessages } from "../i18n/messages/reading-list.js";

export interface ReadingDeps {
  notify?: Notify;
  repos: RepoInfoCache;
  permissions: Permissions;
  files: RepoFileCache;
  labels: LabelMaker;
  coordinator: Coordinator;
  now: () => Date;
  botLogin: () => Promise<string>;
}

interface Repo {
  owner: string;
  repo: string;
}

interface Page {
  number: number;
  issueNumber: number;
  body: string;
}

/** The list's page issues, found once by label and marker, then remembered (shared by replicas). */
class ListLocator {
  readonly #pages: SharedCache<number[]>;
  constructor(coordinator: Coordinator) {
    this.#pages = new SharedCache(coordinator, "reading-pages", 24 * 60 * 60 * 1000);
  }

  async load(octokit: Octokit, installationId: number, list: Repo, botLogin: string): Promise<Page[]> {
    const key = `${installationId}:${list.owner}/${list.repo}`.toLowerCase();
    const known = await this.#pages.get(key);
    if (known) {
      const pages: Page[] = [];
      for (const issueNumber of known) {
        try {
          const { data } = await octokit.rest.issues.get({ ...list, issue_number: issueNumber });
          const number = pageNumber(data.body);
          if (number !== null) pages.push({ number, issueNumber, body: data.body ?? "" });
        } catch (error) {
          if (statusOf(error) !== 404 && statusOf(error) !== 410) throw error;
        }
      }
      if (pages.length === known.length) return pages.sort((a, b) => a.number - b.number);
    }
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...list, labels: READING_LIST_LABEL, state: "all", per_page: 100 });
    const pages = issues
      .filter((i) => i.user?.login === botLogin && pageNumber(i.body) !== null)
      .map((i) => ({ number: pageNumber(i.body)!, issueNumber: i.number, body: i.body ?? "" }))
      .sort((a, b) => a.number - b.number || a.issueNumber - b.issueNumber)
      .filter((page, i, all) => i === 0 || all[i - 1]!.number !== page.number);
    await this.remember(key, pages);
    return pages;
  }

  remember(key: string, pages: Page[]): Promise<void> {
    return this.#pages.set(key, pages.map((p) => p.issueNumber));
  }
}

export type ReadingOutcome = "added" | "updated" | "removed" | "unchanged" | "not-postmortem" | "draft" | "held-back";

/** What a rebuild did: entries written, postmortems held back by the visibility rule, source repositories the caller cannot read. */
export interface RebuildResult {
  entries: number;
  heldBack: number;
  unreadable: number;
}

export class ReadingList {
  readonly #locator: ListLocator;

  constructor(private readonly deps: ReadingDeps) {
    this.#locator = new ListLocator(deps.coordinator);
  }

  /** Where the list lives for a postmortem repository: `reading_list.repo`, else that repository. */
  listRepo(config: Config, home: Repo): Repo {
    if (!config.reading_list.repo) return home;
    const [owner, repo] = config.reading_list.repo.split("/") as [string, string];
    return owner.toLowerCase() === home.owner.toLowerCase() ? { owner, repo } : home;
  }

  /**
   * Brings one postmortem's entry up to date: added or refreshed while it is a
   * recommended, complete postmortem; removed otherwise (unlabelled, deleted,
   * transferred, or back to a draft). Writes only when the list changes.
   */
  async reconcileEntry(
    octokit: Octokit,
    target: { installationId: number; owner: string; repo: string; issueNumber: number },
    recommendation: { by?: string; note?: string } = {},
  ): Promise<ReadingOutcome> {
    const home = { owner: target.owner, repo: target.repo };
    const ref = formatReference({ ...home, number: target.issueNumber });
    const setup = await this.deps.files.setup(octokit, target.installationId, home);
    if (!setup.ok) return "unchanged";
    const config = setup.setup.config;
    let entry: ReadingEntry | null = null;
    let outcome: ReadingOutcome = "removed";
    const issue = await octokit.rest.issues.get({ ...home, issue_number: target.issueNumber }).then(
      (r) => r.data,
      (error: unknown) => {
        if (statusOf(error) === 404 || statusOf(error) === 410) return null;
        throw error;
      },
    );
    const labels = issue ? issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))) : [];
    const isPostmortem = labels.some((l) => l.toLowerCase() === config.label.toLowerCase());
    if (issue && isRecommended(config, labels)) {
      if (!isPostmortem) outcome = "not-postmortem";
      else {
        const validation = validatePostmortem({ body: issue.body ?? "", form: setup.setup.form, config, now: this.deps.now(), home });
        if (!validation.valid) outcome = "draft";
        else entry = entryFrom({ ref, url: issue.html_url, title: issue.title, labels }, validation, config, { note: recommendation.note ?? "", by: recommendation.by ?? "" });
      }
    }
    const list = this.listRepo(config, home);
    if (entry && !(await this.#mayShow(octokit, target.installationId, home, list, config))) {
      entry = null;
      outcome = "held-back";
    }
    // The list is shared by every postmortem: one read-modify-write at a time, across replicas.
    return this.#locked(target.installationId, list, async () => {
      const pages = await this.#locator.load(octokit, target.installationId, list, await this.deps.botLogin());
      const entries = pages.flatMap((p) => readEntries(p.body));
      const previous = entries.find((e) => e.ref === ref);
      const state = pages[0] ? readReadingState(pages[0].body) : { handedOut: {} };
      const heldBefore = state.heldBack ?? [];
      const heldAfter = heldBefore.filter((h) => h !== hiddenRef(ref));
      if (outcome === "held-back") heldAfter.push(hiddenRef(ref));
      const heldChanged = heldAfter.length !== heldBefore.length;
      if (heldAfter.length > 0) state.heldBack = heldAfter;
      else delete state.heldBack;
      if (entry && previous) {
        // A later edit keeps who recommended it and why, unless this event says anew.
        entry.by = recommendation.by ?? previous.by;
        entry.note = recommendation.note ?? previous.note;
      }
      const next = entries.filter((e) => e.ref !== ref);
      if (entry) next.push(entry);
      if (!entry && !previous && !heldChanged) return outcome === "removed" ? "unchanged" : outcome;
      await this.#write(octokit, target.installationId, home, list, config, next, pages, state);
      if (entry && !previous && this.deps.notify) {
        const reason = entry.reasons[0] ?? null;
        const title = await slackTitle(octokit, this.deps, target, config, issue?.title ?? entry.title);
        this.deps.notify.recommended({ owner: home.owner, repo: home.repo, number: target.issueNumber, title, url: entry.url, reason, reasonDescription: reason ? reasonDescription(config, reason) : null, by: entry.by || null, language: config.language });
      }
      return entry ? (previous ? "updated" : "added") : outcome;
    });
  }

  #locked<T>(installationId: number, list: Repo, task: () => Promise<T>): Promise<T> {
    return this.deps.coordinator.withLock(`reading-list:${installationId}:${list.owner}/${list.repo}`.toLowerCase(), task);
  }

  /**
   * The visibility rule for the list: a postmortem shows on a list in another
   * repository only if no more people can read that one, unless its config opts in.
   */
  async #mayShow(octokit: Octokit, installationId: number, source: Repo, list: Repo, sourceConfig: Config): Promise<boolean> {
    if (source.owner.toLowerCase() === list.owner.toLowerCase() && source.repo.toLowerCase() === list.repo.toLowerCase()) return true;
    const from = (await this.deps.repos.get(octokit, installationId, source.owner, source.repo))?.visibility ?? "private";
    const to = (await this.deps.repos.get(octokit, installationId, list.owner, list.repo))?.visibility ?? "public";
    return mayCopy(from, to, sourceConfig.reading_list.allow_public);
  }

  /**
   * Rebuilds the whole list from the recommended postmortems of the given
   * repositories that `caller` can read, under the visibility rule.
   */
  async rebuild(octokit: Octokit, installationId: number, home: Repo, repositories: Repo[], caller: string): Promise<RebuildResult> {
    const setup = await this.deps.files.setup(octokit, installationId, home);
    if (!setup.ok) throw new Error(`the postmortem setup of ${home.owner}/${home.repo} is broken`);
    const config = setup.setup.config;
    const list = this.listRepo(config, home);
    return this.#locked(installationId, list, async () => {
      const pages = await this.#locator.load(octokit, installationId, list, await this.deps.botLogin());
      const before = new Map(pages.flatMap((p) => readEntries(p.body)).map((e) => [e.ref, e]));
      const entries: ReadingEntry[] = [];
      const heldBack: string[] = [];
      let unreadable = 0;
      for (const repo of repositories) {
        if (!(await this.deps.permissions.atLeast(octokit, installationId, repo, caller, "read"))) {
          unreadable++;
          continue;
        }
        const repoSetup = await this.deps.files.setup(octokit, installationId, repo);
        if (!repoSetup.ok) continue;
        const repoConfig = repoSetup.setup.config;
        const shown = await this.#mayShow(octokit, installationId, repo, list, repoConfig);
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, labels: repoConfig.reading_list.label, state: "all", per_page: 100 });
        for (const issue of issues) {
          if (issue.pull_request) continue;
          const labels = issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? "")));
          if (!labels.some((l) => l.toLowerCase() === repoConfig.label.toLowerCase())) continue;
          const validation = validatePostmortem({ body: issue.body ?? "", form: repoSetup.setup.form, config: repoConfig, now: this.deps.now(), home: repo });
          if (!validation.valid) continue;
          const ref = formatReference({ ...repo, number: issue.number });
          if (!shown) {
            heldBack.push(hiddenRef(ref));
            continue;
          }
          const old = before.get(ref);
          entries.push(entryFrom({ ref, url: issue.html_url, title: issue.title, labels }, validation, repoConfig, { note: old?.note ?? "", by: old?.by ?? "" }));
        }
      }
      const state = pages[0] ? readReadingState(pages[0].body) : { handedOut: {} };
      if (heldBack.length > 0) state.heldBack = heldBack;
      else delete state.heldBack;
      await this.#write(octokit, installationId, home, list, config, entries, pages, state);
      return { entries: entries.length, heldBack: heldBack.length, unreadable };
    });
  }

  /** Opens a reading-session issue for `people` and remembers what they were given. */
  async openSession(octokit: Octokit, installationId: number, home: Repo, people: string[], size: number | null): Promise<{ issueNumber: number; picked: number } | { error: string }> {
    const setup = await this.deps.files.setup(octokit, installationId, home);
    // The error is a reply where the command was written; the session issue is written in the list's repository.
    if (!setup.ok) return { error: messagesOf(readingListMessages, languageOf(setup)).setupBroken };
    const config = setup.setup.config;
    const list = this.listRepo(config, home);
    return this.#locked(installationId, list, async () => {
      const pages = await this.#locator.load(octokit, installationId, list, await this.deps.botLogin());
      const entries = pages.flatMap((p) => readEntries(p.body));
      if (entries.length === 0) return { error: messagesOf(readingListMessages, config.language).listEmpty(config.reading_list.label) };
      const state = pages[0] ? readReadingState(pages[0].body) : { handedOut: {} };
      const picked = pickSession(entries, state, people, size ?? config.reading_list.session_size, config);
      const language = await this.#listLanguage(octokit, installationId, home, list, config);
      const session = renderSession(picked, people.map((p) => p), this.deps.now().toISOString().slice(0, 10), config, language);
      const { data } = await octokit.rest.issues.create({ ...list, ...session, assignees: people });
      for (const person of people) {
        const key = person.toLowerCase();
        state.handedOut[key] = [...new Set([...(state.handedOut[key] ?? []), ...picked.map((e) => e.ref)])];
      }
      await this.#write(octokit, installationId, home, list, config, entries, pages, state, language);
      return { issueNumber: data.number, picked: picked.length };
    });
  }

  /**
   * The language of the list's pages and sessions: that of the config of the list's repository
   * (`config`, the home repository's, when the list lives there or that repository has no readable config).
   */
  async #listLanguage(octokit: Octokit, installationId: number, home: Repo, list: Repo, config: Config): Promise<Language> {
    if (home.owner.toLowerCase() === list.owner.toLowerCase() && home.repo.toLowerCase() === list.repo.toLowerCase()) return config.language;
    const setup = await this.deps.files.setup(octokit, installationId, list);
    return setup.ok ? setup.setup.config.language : (setup.config?.language ?? config.language);
  }

  async #write(
    octokit: Octokit,
    installationId: number,
    home: Repo,
    list: Repo,
    config: Config,
    entries: ReadingEntry[],
    pages: Page[],
    state?: ReadingState,
    knownLanguage?: Language,
  ): Promise<void> {
    const keep = state ?? (pages[0] ? readReadingState(pages[0].body) : { handedOut: {} });
    const language = knownLanguage ?? (await this.#listLanguage(octokit, installationId, home, list, config));
    const url = (issueNumber: number) => `https://github.com/${list.owner}/${list.repo}/issues/${issueNumber}`;
    let rendered = renderReadingList(entries, keep, config, () => "", language);
    // Pages need each other's numbers: create the missing page issues first, then write every page.
    const byNumber = new Map(pages.map((p) => [p.number, p]));
    for (const page of rendered) {
      if (byNumber.has(page.number)) continue;
      const { data } = await octokit.rest.issues.create({ ...list, title: pageTitle(page.number, language), body: page.body, labels: [READING_LIST_LABEL] });
      byNumber.set(page.number, { number: page.number, issueNumber: data.number, body: page.body });
    }
    rendered = renderReadingList(entries, keep, config, (n) => url(byNumber.get(n)!.issueNumber), language);
    for (const page of rendered) {
      const existing = byNumber.get(page.number)!;
      if (existing.body !== page.body) await octokit.rest.issues.update({ ...list, issue_number: existing.issueNumber, body: page.body });
      existing.body = page.body;
    }
    for (const stale of [...byNumber.values()].filter((p) => p.number > rendered.length)) {
      const body = stalePageBody(stale.number, url(byNumber.get(1)!.issueNumber), language);
      if (stale.body !== body) await octokit.rest.issues.update({ ...list, issue_number: stale.issueNumber, body, state: "closed" });
      stale.body = body;
    }
    await this.#locator.remember(`${installationId}:${list.owner}/${list.repo}`.toLowerCase(), [...byNumber.values()].sort((a, b) => a.number - b.number));
  }
}

/** A held-back postmortem is remembered by a hash: the list must not name a repository fewer people can read. */
function hiddenRef(ref: string): string {
  return createHash("sha256").update(ref.toLowerCase()).digest("hex").slice(0, 16);
}

/** Whether `login` may recommend: anyone when no curators are set, else a listed login or a member of a listed team. */
export async function isCurator(octokit: Octokit, config: Config, org: string, login: string): Promise<boolean> {
  const curators = config.reading_list.curators;
  if (curators.length === 0) return true;
  for (const curator of curators) {
    const value = curator.replace(/^@/, "");
    if (!value.includes("/")) {
      if (value.toLowerCase() === login.toLowerCase()) return true;
      continue;
    }
    const [teamOrg, team] = value.split("/") as [string, string];
    if (teamOrg.toLowerCase() !== org.toLowerCase()) continue;
    try {
      const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org: teamOrg, team_slug: team, username: login });
      if (data.state === "active") return true;
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  return false;
}
