import type { ConfigProblem } from "./error.ts";
import {
  type Earlier,
  isPattern,
  type PatternSetting,
  type SettingTable,
  type ValueSetting,
  type Values,
} from "./setting.ts";
import type { ConfigOverrides, Env } from "./types.ts";

/** A table read: the value of every setting that has one, and every problem, in the table's order. */
export interface Reading<Table extends SettingTable> {
  readonly values: Partial<Values<Table>>;
  readonly problems: readonly ConfigProblem[];
}

interface Read {
  readonly value?: unknown;
  readonly problems: readonly ConfigProblem[];
}

/**
 * Reads every setting of a table from an environment and the command-line flags. A bad value is
 * reported, then read as if unset, so the settings deriving from it are still checked; a setting
 * is left without a value only when it is bad and so is its default.
 */
export function readSettings<Table extends SettingTable>(
  table: Table,
  env: Env,
  overrides: ConfigOverrides = {},
): Reading<Table> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, setting] of Object.entries(table)) {
    const read = isPattern(setting)
      ? readFamily(table, setting, env)
      : readValue(name, setting, given(name, setting, env, overrides), values);
    problems.push(...read.problems);
    values[name] = read.value;
  }
  return { values: values as Partial<Values<Table>>, problems };
}

/** The text a setting is given: its flag's as it is, else its variable's trimmed; blank is unset. */
function given(
  name: string,
  setting: ValueSetting<unknown>,
  env: Env,
  overrides: ConfigOverrides,
): string | undefined {
  const flag = setting.override === undefined ? undefined : overrides[setting.override];
  if (flag !== undefined) return String(flag);
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

function readValue(
  name: string,
  setting: ValueSetting<unknown>,
  raw: string | undefined,
  values: Readonly<Record<string, unknown>>,
): Read {
  const problems: ConfigProblem[] = [];
  if (raw !== undefined) {
    const parsed = setting.parse(raw);
    if (parsed.ok) return { value: parsed.value, problems };
    problems.push({ variable: name, problem: parsed.problem });
  }
  const fallback = fallbackText(name, setting, values);
  if (fallback === undefined) return { problems };
  if (fallback === null) return { value: null, problems };
  const parsed = setting.parse(fallback);
  if (parsed.ok) return { value: parsed.value, problems };
  // Only a default derived from other settings can be bad; the setting is reported once.
  return { problems: problems.length > 0 ? problems : [{ variable: name, problem: parsed.problem }] };
}

/** The default's text; undefined when it derives from a setting left without a value. */
function fallbackText(
  name: string,
  setting: ValueSetting<unknown>,
  values: Readonly<Record<string, unknown>>,
): string | null | undefined {
  const { fallback } = setting;
  if (fallback === null || typeof fallback === "string") return fallback;
  for (const source of fallback.from) {
    if (!(source in values))
      throw new Error(`${name} derives from ${source}, which is not declared before it`);
    if (values[source] === undefined) return undefined;
  }
  return fallback.text(values as unknown as Earlier);
}

/** Every variable of the family that is set and not declared on its own, in name order. */
function readFamily(table: SettingTable, setting: PatternSetting<unknown>, env: Env): Read {
  const entries = new Map<string, unknown>();
  const problems: ConfigProblem[] = [];
  for (const variable of Object.keys(env).sort()) {
    const key = setting.pattern.exec(variable)?.[1];
    const raw = env[variable];
    if (key === undefined || raw === undefined || Object.hasOwn(table, variable)) continue;
    const parsed = setting.parse(raw.trim());
    if (parsed.ok) entries.set(key, parsed.value);
    else problems.push({ variable, problem: parsed.problem });
  }
  return { value: entries, problems };
}
