import { defineCatalog } from "../index.js";

/** The metrics issue's title, and why it was not updated (in the reply to `/postmortem report`). */
export const metricsIssueMessages = defineCatalog(
  "metrics-issue",
  {
    /** The issue's title and its body's top heading. */
    title: "Postmortem metrics",
    configBroken: (repo: string) => `the config of ${repo} is broken`,
    outsideAccount: (metricsRepo: string, owner: string) => `metrics.repo ${metricsRepo} is outside the ${owner} account, which this app never writes to from here`,
    cannotWrite: (metricsRepo: string, status: number) =>
      `the app cannot open or edit issues in ${metricsRepo} (GitHub answered ${status}); check \`metrics.repo\` and that the app is installed there`,
  },
  {
    title: "ポストモーテムの指標",
    configBroken: (repo: string) => `${repo} の設定ファイルが壊れています`,
    outsideAccount: (metricsRepo: string, owner: string) =>
      `metrics.repo の ${metricsRepo} は ${owner} アカウントの外にあります。このアプリはここからアカウントの外には書き込みません`,
    cannotWrite: (metricsRepo: string, status: number) =>
      `アプリが ${metricsRepo} に Issue を作成・編集できません（GitHub の応答: ${status}）。\`metrics.repo\` の値と、そのリポジトリにアプリがインストールされているかを確認してください`,
  },
  { configBroken: ["acme/payments"], outsideAccount: ["other-org/metrics", "acme"], cannotWrite: ["acme/postmortems", 404] },
);
