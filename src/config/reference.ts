import { isPattern, type Setting, type SettingTable } from "./setting.ts";
import { partnerCliSettings, rules, sections } from "./settings.ts";

/**
 * The generated parts of docs/configuration.md: each block between `<!-- settings:begin SCOPE -->`
 * and `<!-- settings:end -->` (no scope: the service's settings) is rendered from the declarations,
 * and the prose around the blocks is kept as written.
 */
const BLOCK = /(<!-- settings:begin(?: ([a-z-]+))? -->\n)[\s\S]*?(<!-- settings:end -->)/g;

const NOTICE =
  "<!-- Generated from src/config/settings.ts by `npm run docs:config`: change the declarations, not these lines. -->";

/** The reference with every generated block rendered anew. */
export function updateReference(markdown: string): string {
  const scopes: string[] = [];
  const updated = markdown.replace(BLOCK, (_block, begin: string, scope: string | undefined, end: string) => {
    scopes.push(scope ?? "service");
    return `${begin}${NOTICE}\n\n${renderScope(scope ?? "service")}\n${end}`;
  });
  for (const scope of ["service", "partner-cli"]) {
    if (!scopes.includes(scope)) throw new Error(`the reference has no settings block for ${scope}`);
  }
  return updated;
}

function renderScope(scope: string): string {
  if (scope === "service") return renderService();
  if (scope === "partner-cli") return renderTable(partnerCliSettings);
  throw new Error(`unknown settings block: ${scope}`);
}

/** One heading and table per section, then the rules between settings. */
function renderService(): string {
  const tables = sections.map((section) => `## ${section.title}\n\n${renderTable(section.settings)}`);
  return [...tables, `## Settings checked together\n\n${rules.map(renderRule).join("\n")}\n`].join("\n");
}

function renderTable(table: SettingTable): string {
  const rows = Object.entries(table).map(
    ([name, setting]) =>
      `| \`${name}\` | ${cell(shownDefault(name, setting))} | ${cell(setting.description)} |`,
  );
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows, ""].join("\n");
}

function shownDefault(name: string, setting: Setting): string {
  if (setting.shownDefault !== undefined) return setting.shownDefault;
  if (isPattern(setting) || setting.fallback === null) return "—";
  if (typeof setting.fallback === "string") return `\`${setting.fallback}\``;
  throw new Error(`${name}: a derived default needs a shownDefault for the reference`);
}

function renderRule(rule: { readonly variable: string; readonly problem: string }): string {
  return `- ${code(rule.variable)} ${rule.problem.replace(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g, code)}`;
}

const code = (name: string): string => `\`${name}\``;
const cell = (text: string): string => text.replaceAll("|", "\\|");
