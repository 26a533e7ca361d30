import { defineCatalog } from "../index.js";

/**
 * The terminal: `postmortem-bot lint | init | report | sweep` (usage lines stay
 * English: they show the syntax, whose flags and verbs are English anyway).
 * `report*` texts are read by src/cli/report.ts.
 */
export const cliMessages = defineCatalog(
  "cli",
  {
    unknownCommand: (name: string) => `unknown command ${JSON.stringify(name)}`,
    langInvalid: "--lang must be en or ja",
    argumentError: (_code: string, message: string, _option: string | null) => message,
    nowNotIso: (value: string) => `--now ${JSON.stringify(value)} is not an ISO time`,
    lintOneBody: "expected one body file",
    lintFormat: "--format must be text or json",
    cannotRead: (path: string, reason: string, _code: string | null) => `cannot read ${path}: ${reason}`,
    extendsOffline: (path: string) => `${path}: _extends is not followed offline; only this file is used`,
    lintOk: (path: string) => `${path}: ok`,
    lintProblems: (path: string, count: number) => `${path}: ${count} problem(s)`,
    lintBody: "(body)",
    initFormOrRepo: "give one form file or --repo",
    initForceNeedsWrite: "--force only goes with --write",
    initNotRepo: (value: string) => `--repo ${JSON.stringify(value)} is not owner/name`,
    initNoToken: "GITHUB_TOKEN is not set: a token that can read the repository's contents is needed",
    reportUnexpected: (arg: string) => `unexpected argument ${JSON.stringify(arg)}`,
    reportOneTarget: "give exactly one of --repo and --org",
    reportNotRepo: (value: string) => `--repo ${JSON.stringify(value)} is not owner/name`,
    reportNotOrg: (value: string) => `--org ${JSON.stringify(value)} is not an account name`,
    reportFormat: "--format must be markdown, json or csv",
    reportSinceNotDate: (value: string) => `--since ${JSON.stringify(value)} is not a date as YYYY-MM-DD`,
    reportSinceFuture: (value: string) => `--since ${value} is in the future`,
    reportNoToken: "GITHUB_TOKEN is not set: a token that can read the repositories' issues and contents is needed",
    reportApiUrl: (value: string) => `GITHUB_API_URL ${JSON.stringify(value)} is not an http(s) URL`,
    reportTarget: (target: { repo: string } | { org: string }) => ("repo" in target ? target.repo : `the ${target.org} account`),
    report401: (detail: string, baseUrl: string) => `GitHub rejected GITHUB_TOKEN (401 ${detail}) at ${baseUrl}. Check that the token is valid and not expired.`,
    report403: (what: string, detail: string) =>
      `GitHub refused access to ${what} (403 ${detail}). The token needs read access to issues and contents (and metadata) of the repositories.`,
    report404: (what: string, baseUrl: string) => `${what} was not found at ${baseUrl}, or GITHUB_TOKEN cannot see it (404).`,
    reportFailed: (reason: string) => `report failed: ${reason}`,
    reportNoRepos: (org: string) => `GITHUB_TOKEN sees no repository of ${org} with issues.`,
    reportDone: (issues: number, repos: number, t: { postmortems: number; complete: number; incomplete: number }, seconds: string) =>
      `report: ${issues} postmortem issue(s) in ${repos} repositor${repos === 1 ? "y" : "ies"}; ` +
      `${t.postmortems} in the period (${t.complete} complete, ${t.incomplete} incomplete) — ${seconds} s`,
    reportRepos: (repos: number) => `report: ${repos} repositor${repos === 1 ? "y" : "ies"} to read`,
    reportPages: (repo: string, postmortems: number, pages: number, elapsed: string) => `report: ${repo}: ${postmortems} postmortems so far (${pages} pages, ${elapsed} s)`,
    reportRepoDone: (repo: string, postmortems: number, done: number, total: number, elapsed: string) =>
      `report: ${repo}: ${postmortems} postmortem(s) [${done}/${total}, ${elapsed} s]`,
    reportRateLimited: (request: string, seconds: number) => `rate limited on ${request}; retrying in ${seconds} s`,
    reportSecondaryLimit: (request: string, seconds: number) => `secondary rate limit on ${request}; retrying in ${seconds} s`,
    sweepNoArguments: "sweep takes no arguments",
    sweepNeedsKey: "APP_ID and PRIVATE_KEY (or a readable PRIVATE_KEY_PATH) are required",
  },
  {
    unknownCommand: (name: string) => `${JSON.stringify(name)} というコマンドはありません`,
    langInvalid: "--lang には en か ja を指定してください",
    argumentError: (code: string, message: string, option: string | null) => jaArgumentError(code, message, option) ?? `引数が正しくありません（${message}）`,
    nowNotIso: (value: string) => `--now ${JSON.stringify(value)} は ISO 8601 形式の時刻ではありません`,
    lintOneBody: "本文のファイルを1つ指定してください",
    lintFormat: "--format には text か json を指定してください",
    cannotRead: (path: string, reason: string, code: string | null) => `${path} を読み込めません（${(code !== null && JA_FILE_ERRORS[code]) || reason}）`,
    extendsOffline: (path: string) => `${path}: オフラインでは _extends をたどりません。このファイルだけを使います`,
    lintOk: (path: string) => `${path}: 問題ありません`,
    lintProblems: (path: string, count: number) => `${path}: 問題が${count}件あります`,
    lintBody: "（本文）",
    initFormOrRepo: "フォームのファイルを1つ指定するか、--repo を指定してください",
    initForceNeedsWrite: "--force は --write と一緒に指定してください",
    initNotRepo: (value: string) => `--repo ${JSON.stringify(value)} は owner/name の形ではありません`,
    initNoToken: "GITHUB_TOKEN が設定されていません。リポジトリの contents を読めるトークンが必要です",
    reportUnexpected: (arg: string) => `余分な引数があります: ${JSON.stringify(arg)}`,
    reportOneTarget: "--repo と --org のどちらか一方だけを指定してください",
    reportNotRepo: (value: string) => `--repo ${JSON.stringify(value)} は owner/name の形ではありません`,
    reportNotOrg: (value: string) => `--org ${JSON.stringify(value)} はアカウント名ではありません`,
    reportFormat: "--format には markdown、json、csv のいずれかを指定してください",
    reportSinceNotDate: (value: string) => `--since ${JSON.stringify(value)} は YYYY-MM-DD 形式の日付ではありません`,
    reportSinceFuture: (value: string) => `--since ${value} は未来の日付です`,
    reportNoToken: "GITHUB_TOKEN が設定されていません。リポジトリの Issue と contents を読めるトークンが必要です",
    reportApiUrl: (value: string) => `GITHUB_API_URL ${JSON.stringify(value)} は http(s) の URL ではありません`,
    reportTarget: (target: { repo: string } | { org: string }) => ("repo" in target ? target.repo : `${target.org} アカウント`),
    report401: (detail: string, baseUrl: string) =>
      `${baseUrl} で GitHub が GITHUB_TOKEN を受け付けませんでした（401 ${detail}）。トークンが有効で、期限切れでないか確認してください。`,
    report403: (what: string, detail: string) =>
      `GitHub が ${what} へのアクセスを拒否しました（403 ${detail}）。トークンには、リポジトリの Issue と contents（と metadata）の読み取り権限が必要です。`,
    report404: (what: string, baseUrl: string) => `${baseUrl} に ${what} が見つからないか、GITHUB_TOKEN からは見えません（404）。`,
    reportFailed: (reason: string) => `レポートの作成に失敗しました: ${reason}`,
    reportNoRepos: (org: string) => `GITHUB_TOKEN から見える ${org} のリポジトリのうち、Issue のあるものがありません。`,
    reportDone: (issues: number, repos: number, t: { postmortems: number; complete: number; incomplete: number }, seconds: string) =>
      `report: ${repos}個のリポジトリにポストモーテムの Issue が${issues}件。期間内は${t.postmortems}件（完成 ${t.complete}件、未完成 ${t.incomplete}件） — ${seconds}秒`,
    reportRepos: (repos: number) => `report: 読み込むリポジトリ ${repos}個`,
    reportPages: (repo: string, postmortems: number, pages: number, elapsed: string) =>
      `report: ${repo}: これまでにポストモーテム ${postmortems}件（${pages}ページ、${elapsed}秒）`,
    reportRepoDone: (repo: string, postmortems: number, done: number, total: number, elapsed: string) =>
      `report: ${repo}: ポストモーテム ${postmortems}件 [${done}/${total}、${elapsed}秒]`,
    reportRateLimited: (request: string, seconds: number) => `${request} がレート制限に達しました。${seconds}秒後に再試行します`,
    reportSecondaryLimit: (request: string, seconds: number) => `${request} がセカンダリレート制限に達しました。${seconds}秒後に再試行します`,
    sweepNoArguments: "sweep は引数を取りません",
    sweepNeedsKey: "APP_ID と PRIVATE_KEY（または読み取れる PRIVATE_KEY_PATH）が必要です",
  },
  {
    unknownCommand: ["lnt"],
    argumentError: ["ERR_PARSE_ARGS_UNKNOWN_OPTION", "Unknown option '--bogus'", "--bogus"],
    nowNotIso: ["yesterday"],
    cannotRead: ["pm.md", "ENOENT: no such file or directory, open 'pm.md'", "ENOENT"],
    initNotRepo: ["not a repo"],
    extendsOffline: ["postmortem.yml"],
    lintOk: ["pm.md"],
    lintProblems: ["pm.md", 2],
    reportUnexpected: ["extra"],
    reportNotRepo: ["acme"],
    reportNotOrg: ["acme/x"],
    reportSinceNotDate: ["2026-13-01"],
    reportSinceFuture: ["2099-01-01"],
    reportApiUrl: ["ftp://example.com"],
    reportTarget: [{ org: "acme" }],
    report401: ["Bad credentials", "https://api.github.com"],
    report403: ["acme/payments", "Resource not accessible by integration"],
    report404: ["acme/payments", "https://api.github.com"],
    reportFailed: ["socket hang up"],
    reportNoRepos: ["acme"],
    reportDone: [120, 3, { postmortems: 40, complete: 36, incomplete: 4 }, "2.4"],
    reportRepos: [3],
    reportPages: ["acme/payments", 1000, 10, "3.2"],
    reportRepoDone: ["acme/payments", 1043, 1, 3, "3.5"],
    reportRateLimited: ["GET /repos/acme/payments/issues", 30],
    reportSecondaryLimit: ["POST /graphql", 60],
  },
);

/** Node's `parseArgs` errors, by code, in Japanese (the English is Node's own message); null when the case is not known. */
function jaArgumentError(code: string, message: string, option: string | null): string | null {
  if (option === null) return null;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `${option} というオプションはありません。- で始まる値を引数として渡すときは、-- の後に置いてください`;
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `余分な引数があります: ${option}`;
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/argument missing/.test(message)) return `${option} には値を指定してください`;
    if (/does not take an argument/.test(message)) return `${option} は値を取りません`;
  }
  return null;
}

/** Why a file cannot be read, by Node's error code. */
const JA_FILE_ERRORS: Record<string, string> = {
  ENOENT: "ファイルがありません",
  EACCES: "読み取る権限がありません",
  EPERM: "読み取る権限がありません",
  EISDIR: "ファイルではなくディレクトリです",
  ENOTDIR: "パスの途中がディレクトリではありません",
};
