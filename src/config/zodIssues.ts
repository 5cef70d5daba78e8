/**
 * Turns zod issues into config problems a person can act on: the file and key path, what was
 * expected, what was found, and for an unknown key the nearest key the schema allows there.
 */
import type { z } from 'zod';
import type { ConfigProblem, KeyPath } from './problems';
import { knownKeysAt } from './schemaKeys';
import { didYouMean } from './suggest';

type Issue = z.core.$ZodIssue;

/** Where a path of the validated document was written: a file and the path inside it. */
export type Locate = (path: KeyPath) => { file: string; keyPath: KeyPath };

export interface IssueContext {
  schema: z.ZodType;
  /** the document that was validated */
  doc: unknown;
  locate: Locate;
}

export function issuesToProblems(issues: readonly Issue[], ctx: IssueContext): ConfigProblem[] {
  return issues.flatMap((issue) => issueToProblems(issue, [], ctx));
}

/** A locator for a document that came from one file, found at `prefix` inside it. */
export function inFile(file: string, prefix: KeyPath = []): Locate {
  return (path) => ({ file, keyPath: [...prefix, ...path] });
}

function issueToProblems(issue: Issue, base: KeyPath, ctx: IssueContext): ConfigProblem[] {
  const path: KeyPath = [...base, ...(issue.path as PropertyKey[]).map((p) => (typeof p === 'number' ? p : String(p)))];
  const at = (p: KeyPath, message: string): ConfigProblem => ({ ...ctx.locate(p), message, code: 'CONFIG_INVALID' });
  const value = valueAt(ctx.doc, path);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(ctx.schema, ctx.doc, path);
      return issue.keys.map((key) => {
        const guess = didYouMean(key, known);
        const allowed = guess || known.length === 0 ? '' : ` (allowed here: ${known.join(', ')})`;
        return at([...path, key], `unknown key "${key}"${guess}${allowed}`);
      });
    }
    case 'invalid_type':
      return [at(path, value === undefined ? `missing; expected ${typeName(issue.expected)}` : `expected ${typeName(issue.expected)}, got ${describeValue(value)}`)];
    case 'invalid_value': {
      const expected = issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map(String).join('|')}`;
      if (value === undefined) return [at(path, `missing; expected ${expected}`)];
      const guess = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return [at(path, `expected ${expected}, got ${describeValue(value)}${guess}`)];
    }
    case 'invalid_union':
      return unionProblems(issue, path, value, ctx, at);
    case 'too_small':
      return [at(path, tooSmall(issue))];
    case 'too_big':
      return [at(path, `must be at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}, got ${describeValue(value)}`)];
    case 'invalid_format':
      // a regex check carries its own explanation as the message (see schema.ts)
      if (issue.format === 'regex') return [at(path, `must be ${issue.message}, got ${describeValue(value)}`)];
      return [at(path, `expected ${issue.format === 'url' ? 'a URL' : `a ${issue.format}`}, got ${describeValue(value)}`)];
    default:
      return [at(path, issue.message)];
  }
}

function unionProblems(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: KeyPath,
  value: unknown,
  ctx: IssueContext,
  at: (p: KeyPath, m: string) => ConfigProblem,
): ConfigProblem[] {
  const extra = issue as { note?: string; options?: unknown[] };
  if (extra.note === 'No matching discriminator') {
    const options = (extra.options ?? []).map(String);
    const expected = `one of ${options.join('|')}`;
    if (value === undefined) return [at(path, `missing; expected ${expected}`)];
    const guess = typeof value === 'string' ? didYouMean(value, options) : '';
    return [at(path, `expected ${expected}, got ${describeValue(value)}${guess}`)];
  }
  // A branch that failed only because the value has another type (a string where the branch
  // wants a mapping) says nothing useful; if exactly one branch is left, its issues are the story.
  const isTypeMismatch = (i: Issue) => i.code === 'invalid_type' && i.path.length === 0;
  const relevant = issue.errors.filter((branch) => !(branch.length > 0 && branch.every(isTypeMismatch)));
  if (relevant.length === 1) return relevant[0].flatMap((inner) => issueToProblems(inner, path, ctx));
  const types = issue.errors.flatMap((branch) => branch.filter(isTypeMismatch).map((i) => typeName((i as { expected: string }).expected)));
  const expected = types.length > 0 ? [...new Set(types)].join(' or ') : 'another value';
  return [at(path, value === undefined ? `missing; expected ${expected}` : `expected ${expected}, got ${describeValue(value)}`)];
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
  if (issue.origin === 'array') return `needs at least ${min} item${min === 1 ? '' : 's'}`;
  return issue.inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping (key: value)';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'a whole number';
    default:
      return `a ${expected}`;
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

export function valueAt(doc: unknown, path: KeyPath): unknown {
  let node = doc;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}
