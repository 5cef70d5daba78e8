/**
 * Config problems are collected, not thrown one by one, so a user sees every mistake in one
 * go. At the end of loading, the list becomes one HyggeError with a line per problem.
 */
import { HyggeError, type ErrorCode } from '../errors';

export type KeyPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  /** project-relative file, e.g. `flows/sales/entities/orders.yml` */
  file: string;
  /** where in the file; empty for the file as a whole */
  keyPath: KeyPath;
  /** what is wrong and what was expected, including a suggestion when there is one */
  message: string;
  code?: Extract<ErrorCode, 'CONFIG_INVALID' | 'CONFIG_VARIABLE_UNSET'>;
  /** what to do; shown once per distinct hint */
  hint?: string;
}

/** `store.compression`, `entities[2].home`, `connections["my db"]` */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function describeProblem(p: ConfigProblem): string {
  const where = p.keyPath.length > 0 ? `${p.file} at ${formatKeyPath(p.keyPath)}` : p.file;
  return `${where}: ${p.message}`;
}

export class ProblemList {
  private readonly items: ConfigProblem[] = [];
  private readonly seen = new Set<string>();

  /** Adds a problem; the same problem reached twice (e.g. a flow key seen by every entity) is kept once. */
  add(problem: ConfigProblem): void {
    const key = describeProblem(problem);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(problem);
  }

  get count(): number {
    return this.items.length;
  }

  get all(): readonly ConfigProblem[] {
    return this.items;
  }

  /** Throws every problem collected so far as one HyggeError. */
  throwIfAny(): void {
    if (this.items.length > 0) throw problemsToError(this.items);
  }
}

export function problemsToError(problems: readonly ConfigProblem[]): HyggeError {
  const code = problems.every((p) => p.code === 'CONFIG_VARIABLE_UNSET') ? 'CONFIG_VARIABLE_UNSET' : 'CONFIG_INVALID';
  const hints = [...new Set(problems.map((p) => p.hint).filter((h): h is string => h !== undefined))];
  const hint = hints.length > 0 ? hints.join('\n  → ') : undefined;
  if (problems.length === 1) {
    const [p] = problems;
    return new HyggeError(code, p.message, {
      hint,
      context: { file: p.file, keyPath: p.keyPath.length > 0 ? formatKeyPath(p.keyPath) : undefined },
    });
  }
  const lines = [`${problems.length} problems in the configuration:`, ...problems.map((p) => `  ${describeProblem(p)}`)];
  // Each line names its own file; a context here would only repeat it.
  return new HyggeError(code, lines.join('\n'), { hint });
}
