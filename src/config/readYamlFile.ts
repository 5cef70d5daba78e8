import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { ProblemList } from './problems';

export type YamlRead = { ok: true; value: unknown } | { ok: false };

/**
 * Reads and parses one YAML file. Syntax errors (all of them) go to `problems` with their line
 * and column; an empty file reads as an empty mapping.
 */
export async function readYamlFile(absPath: string, file: string, problems: ProblemList): Promise<YamlRead> {
  const text = await readFile(absPath, 'utf8');
  return parseYamlText(text, file, problems);
}

export function parseYamlText(text: string, file: string, problems: ProblemList): YamlRead {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      const where = `line ${pos.line}, column ${pos.col}`;
      problems.add({
        file,
        keyPath: [],
        message: `YAML syntax error at ${where}: ${firstLine(err.message)}`,
        code: 'CONFIG_INVALID',
        hint: 'Check indentation and quoting around that line; values containing ": " or starting with special characters need quotes.',
      });
    }
    return { ok: false };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return { ok: true, value: value ?? {} };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
