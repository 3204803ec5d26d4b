import type { Parser } from "./parse.ts";
import type { ConfigOverrides } from "./types.ts";

/** The settings other settings' defaults derive from (`PUBLIC_URL` from `HOST` and `PORT`…). */
export interface Earlier {
  readonly HOST: string;
  readonly PORT: number;
  readonly DATA_DIR: string;
  readonly PUBLIC_URL: string;
}

/** A default computed from settings declared before this one, checked like a given value. */
export interface Derived {
  readonly from: readonly (keyof Earlier)[];
  readonly text: (earlier: Earlier) => string;
}

interface Documented {
  /** What the setting is for: its line in the reference. */
  readonly description: string;
  /** The default as the reference shows it, where that is not the fallback text itself. */
  readonly shownDefault?: string;
}

/** One environment variable. */
export interface ValueSetting<T> extends Documented {
  /** The text read when the variable is unset or blank; null: the value is null then. */
  readonly fallback: string | Derived | null;
  readonly parse: Parser<T>;
  /** The command-line flag that wins over the variable. */
  readonly override?: keyof ConfigOverrides;
}

/** A family of variables (`RATE_LIMIT_<CATEGORY>`): each one set is an entry, keyed by `pattern`'s first group. */
export interface PatternSetting<T> extends Documented {
  readonly pattern: RegExp;
  readonly parse: Parser<T>;
}

export type Setting = ValueSetting<unknown> | PatternSetting<unknown>;

/** Settings by variable name, in the order of the reference. */
export type SettingTable = Readonly<Record<string, Setting>>;

/** What a setting reads into. */
export type ValueOf<S> =
  S extends PatternSetting<infer T>
    ? ReadonlyMap<string, T>
    : S extends { readonly fallback: null; readonly parse: Parser<infer T> }
      ? T | null
      : S extends ValueSetting<infer T>
        ? T
        : never;

export type Values<Table extends SettingTable> = { readonly [Name in keyof Table]: ValueOf<Table[Name]> };

/** A heading of the reference and the settings under it. */
export interface Section {
  readonly title: string;
  readonly settings: SettingTable;
}

/** A rule between settings, checked once each of `inputs` has a value; `variable` is the one at fault. */
export interface Rule<V> {
  readonly variable: keyof V & string;
  readonly problem: string;
  readonly inputs: readonly (keyof V)[];
  readonly holds: (values: V) => boolean;
}

export function isPattern(setting: Setting): setting is PatternSetting<unknown> {
  return "pattern" in setting;
}
