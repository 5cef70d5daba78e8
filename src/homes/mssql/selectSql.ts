/**
 * The SELECT a SQL Server home runs. Every name is quoted from parsed parts; the watermark
 * value is a parameter (`@watermark`, nvarchar) converted to the column's own type on the
 * server, so the comparison is typed and exact.
 *
 * Columns tedious cannot return exactly are selected as text: decimals above 15 digits and
 * money (tedious turns them into JS numbers), datetimeoffset (tedious drops the offset).
 */
import type { ReadColumn } from '../../arrow/columnAccumulators';
import { formatSqlType, type SqlType } from '../../arrow/sqlType';
import { formatMultipartName, parseMultipartName, quoteIdentifier } from '../../sql/identifier';

export type SourceSpec = { table: string } | { query: string };

/** `FROM …` for a table (re-parsed and re-quoted) or a query (as a derived table) */
export function fromClause(source: SourceSpec): string {
  if ('table' in source) return `FROM ${formatMultipartName(parseMultipartName(source.table))}`;
  return `FROM (\n${source.query}\n) AS [hygge_source]`;
}

/** a column name from config: `[x]`/`"x"` taken as quoted, anything else as the literal name */
export function columnName(text: string): string {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('"')) {
    const parts = parseMultipartName(t);
    return parts[parts.length - 1]!;
  }
  return text;
}

export function selectList(columns: string[] | undefined): string {
  return columns && columns.length > 0 ? columns.map((c) => quoteIdentifier(columnName(c))).join(', ') : '*';
}

/** the metadata probe: no rows, just COLMETADATA (and 208/207 when the table or a column is missing) */
export function probeSql(source: SourceSpec, columns: string[] | undefined): string {
  return `SELECT TOP (0) ${selectList(columns)} ${fromClause(source)}`;
}

export function needsText(t: SqlType): boolean {
  return (
    ((t.base === 'decimal' || t.base === 'numeric') && (t.precision ?? 18) > 15) ||
    t.base === 'money' ||
    t.base === 'datetimeoffset'
  );
}

function selectItem(c: ReadColumn): string {
  const name = quoteIdentifier(c.name);
  if (!c.asText) return name;
  // money prints two decimals by default: go through decimal(19,4) first
  const exact = c.sqlType.base === 'money' ? `CAST(${name} AS decimal(19,4))` : name;
  return `CAST(${exact} AS varchar(48)) AS ${name}`;
}

export function readSql(source: SourceSpec, columns: ReadColumn[], watermark?: { column: ReadColumn }): string {
  const list = columns.map(selectItem).join(', ');
  const where = watermark
    ? `\nWHERE ${quoteIdentifier(watermark.column.name)} > CAST(@watermark AS ${formatSqlType(watermark.column.sqlType)})`
    : '';
  return `SELECT ${list} ${fromClause(source)}${where}`;
}
