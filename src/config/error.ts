/** One bad setting: the variable at fault and what is wrong with it. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
}

export class ConfigError extends Error {
  /** The setting at fault (the first one, when several are). */
  readonly variable: string;
  /** Every bad setting, as `VARIABLE problem`. */
  readonly problems: readonly string[];

  constructor(variable: string, problem: string, more: readonly ConfigError[] = []) {
    const problems = [`${variable} ${problem}`, ...more.flatMap((error) => error.problems)];
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration (${problems.length} settings):\n  ${problems.join("\n  ")}`,
    );
    this.name = "ConfigError";
    this.variable = variable;
    this.problems = problems;
  }

  /** One error naming every problem, the first one's variable at fault; null when there are none. */
  static of(problems: readonly ConfigProblem[]): ConfigError | null {
    const [first, ...rest] = problems;
    if (!first) return null;
    const more = rest.map(({ variable, problem }) => new ConfigError(variable, problem));
    return new ConfigError(first.variable, first.problem, more);
  }
}
