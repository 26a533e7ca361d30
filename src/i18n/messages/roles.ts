import { defineCatalog } from "../index.js";

/**
 * How the app says which form field plays each role and which fields gave each
 * metric (status comment, `lint`, `init`). `field` arguments arrive written by
 * fieldName; `id`s are the form's ids, shown as code.
 */
export const roles = defineCatalog(
  "roles",
  {
    roleName: (role: string) =>
      ({
        summary: "summary",
        severity: "severity",
        started_at: "impact started",
        detected_at: "detected",
        mitigated_at: "mitigated",
        recovered_at: "recovered",
        action_items: "action items",
        impact_window: "impact window",
        time_to_detect: "time to detect (stated)",
        time_to_mitigate: "time to mitigate (stated)",
        time_to_recover: "time to recover (stated)",
      })[role] ?? role,
    fieldsUsedHeading: "#### Fields used",
    computed: (metric: string, to: string, from: string) => `${metric} = ${to} − ${from}`,
    computedFromWindow: (metric: string, field: string) => `${metric} = end − start of ${field}`,
    stated: (metric: string, field: string) => `${metric}: as stated in ${field}, not computed from two times`,
    missing: (metric: string, roles: string, keys: string) => `${metric}: not computed; no field gives ${roles} (add one to the form, or name it in ${keys})`,
    statedNote: "(stated)",
    inferredNote: "Fields were matched to roles by their ids and labels. If one is wrong, name the right field under `fields:` in .github/postmortem.yml (`postmortem-bot init` shows every match).",
    whyConfig: (id: string) => `set in config (\`fields\`: \`${id}\`)`,
    whyConfigMissing: (id: string) => `config names \`${id}\`, which the form does not have`,
    whyConfigOff: "switched off in config (`false`)",
    whyMatch: (on: string, synonym: string) => `its ${on === "id" ? "id" : on === "label" ? "label" : "description"} says "${synonym}"`,
    whyWindow: (id: string) => `read from the window in \`${id}\``,
    notFound: "not found",
  },
  {
    roleName: (role: string) =>
      ({
        summary: "概要",
        severity: "重大度",
        started_at: "影響開始",
        detected_at: "検知",
        mitigated_at: "緩和",
        recovered_at: "復旧",
        action_items: "アクションアイテム",
        impact_window: "影響期間",
        time_to_detect: "検知までの時間（記入値）",
        time_to_mitigate: "緩和までの時間（記入値）",
        time_to_recover: "復旧までの時間（記入値）",
      })[role] ?? role,
    fieldsUsedHeading: "#### 使用した項目",
    computed: (metric: string, to: string, from: string) => `${metric} = ${to} − ${from} で算出`,
    computedFromWindow: (metric: string, field: string) => `${metric} = ${field}の終了 − 開始 で算出`,
    stated: (metric: string, field: string) => `${metric}: ${field}に記入された値です（2 つの日時からの計算ではありません）`,
    missing: (metric: string, roles: string, keys: string) => `${metric}: 算出していません。${roles}にあたる項目がありません（フォームに追加するか、${keys} で項目を指定してください）`,
    statedNote: "（記入値）",
    inferredNote: "項目と役割は ID とラベルから対応づけました。違っている場合は .github/postmortem.yml の `fields:` で正しい項目を指定してください（`postmortem-bot init` ですべての対応を確認できます）。",
    whyConfig: (id: string) => `設定で指定（\`fields\`: \`${id}\`）`,
    whyConfigMissing: (id: string) => `設定で \`${id}\` が指定されていますが、フォームにその項目がありません`,
    whyConfigOff: "設定で無効化（`false`）",
    whyMatch: (on: string, synonym: string) => `${on === "id" ? "ID" : on === "label" ? "ラベル" : "説明"}に「${synonym}」とあります`,
    whyWindow: (id: string) => `\`${id}\` の期間から読み取ります`,
    notFound: "見つかりません",
  },
  {
    roleName: ["started_at"],
    computed: ["TTD", "**Detected**", "**Impact started**"],
    computedFromWindow: ["TTR", "**Impact window (UTC)**"],
    stated: ["TTD", "**Minutes to detect**"],
    missing: ["TTM", "mitigated", "`fields.mitigated_at`"],
    whyConfig: ["sev"],
    whyConfigMissing: ["mitigated"],
    whyMatch: ["label", "impact started"],
    whyWindow: ["incident-date"],
  },
);
