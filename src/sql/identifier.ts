/**
 * SQL Server identifiers from config: parsed into parts, then always emitted bracket-quoted.
 * Nothing from config or data is ever pasted into SQL text unquoted; values go as parameters.
 */
import { HyggeError } from '../errors';

/** `[name]` with `]` doubled, as SQL Server's QUOTENAME does. */
export function quoteIdentifier(part: string): string {
  if (part.length === 0 || part.length > 128) {
    throw new HyggeError('CONFIG_INVALID', `"${part}" is not a valid SQL Server identifier (1 to 128 characters)`, {
      hint: 'Use a table or column name of 1 to 128 characters.',
    });
  }
  if (part.includes('\u0000')) {
    throw new HyggeError('CONFIG_INVALID', 'a SQL Server identifier cannot contain a NUL character');
  }
  return `[${part.replace(/]/g, ']]')}]`;
}

/**
 * Splits `schema.table`, `[my schema].[my.table]` or `"x"."y"` into its parts (1 to 3:
 * database.schema.table at most). Unquoted parts may not contain brackets, quotes or spaces.
 */
export function parseMultipartName(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new HyggeError('CONFIG_INVALID', `cannot read the SQL name ${JSON.stringify(text)}: ${why}`, {
      hint: 'Write it as schema.table; quote parts with [ ] when they contain dots, spaces or brackets.',
    });
  };
  while (i <= text.length) {
    let part = '';
    const open = text[i];
    if (open === '[' || open === '"') {
      const close = open === '[' ? ']' : '"';
      i++;
      for (;;) {
        if (i >= text.length) fail(`missing closing ${close}`);
        if (text[i] === close) {
          if (text[i + 1] === close) {
            part += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== '.') {
        if (/[\[\]"\s]/.test(text[i]!)) fail(`unexpected ${JSON.stringify(text[i])} in an unquoted part`);
        part += text[i++];
      }
    }
    if (part.length === 0) fail('empty name part');
    parts.push(part);
    if (i === text.length) break;
    if (text[i] !== '.') fail(`expected "." after ${JSON.stringify(part)}`);
    i++;
    if (i === text.length) fail('name ends with "."');
  }
  if (parts.length > 3) fail('at most database.schema.table');
  return parts;
}

export function formatMultipartName(parts: string[]): string {
  return parts.map(quoteIdentifier).join('.');
}
