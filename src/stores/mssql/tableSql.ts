/**
 * SQL text for the SQL Server store: staging table names, CREATE TABLE from the Arrow schema,
 * and the publish transaction of each write strategy. Names are always parsed parts re-quoted;
 * the only other text pasted in is SQL type text that hygge itself formatted.
 */
import { formatSqlType, type SqlType } from '../../arrow/sqlType';
import type { WriteStrategy } from '../../config/schema';
import { formatMultipartName, quoteIdentifier } from '../../sql/identifier';

export interface TableColumn {
  name: string;
  sqlType: SqlType;
}

/** `[db].[schema].[orders]` → the same with `[orders__hygge_<tag>]` (kept within 128 characters) */
export function stagingNameParts(targetParts: string[], tag: string): string[] {
  const table = targetParts[targetParts.length - 1]!;
  const suffix = `__hygge_${tag}`;
  const staging = table.slice(0, 128 - suffix.length) + suffix;
  const schema = targetParts.length >= 2 ? targetParts.slice(0, -1) : ['dbo'];
  return [...schema, staging];
}

export function createTableSql(parts: string[], columns: TableColumn[]): string {
  const defs = columns.map((c) => `${quoteIdentifier(c.name)} ${formatSqlType(c.sqlType)} NULL`).join(',\n  ');
  return `CREATE TABLE ${formatMultipartName(parts)} (\n  ${defs}\n)`;
}

export function dropTableIfExistsSql(parts: string[]): string {
  return `DROP TABLE IF EXISTS ${formatMultipartName(parts)}`;
}

/**
 * One transaction that makes the staged rows visible and drops the staging table. Because
 * the staging table goes in the same transaction, a publish whose outcome is unknown (the
 * connection dropped during COMMIT) can be retried safely: it does nothing when the staging
 * table is already gone (`@staging` is its quoted name, as a parameter).
 */
export function publishSql(opts: {
  strategy: WriteStrategy;
  target: string[];
  staging: string[];
  columns: TableColumn[];
  keyColumns: string[];
  targetExists: boolean;
}): string {
  const T = formatMultipartName(opts.target);
  const S = formatMultipartName(opts.staging);
  const cols = opts.columns.map((c) => quoteIdentifier(c.name));
  const list = cols.join(', ');
  const create = opts.targetExists ? '' : `  ${createTableSql(opts.target, opts.columns).replace(/\n/g, '\n  ')};\n`;
  // no TABLOCK hint: Azure SQL Database always runs in full recovery, where it buys no minimal logging
  const insert = `  INSERT INTO ${T} (${list}) SELECT ${list} FROM ${S};\n`;
  let body: string;
  switch (opts.strategy) {
    case 'append':
      body = create + insert;
      break;
    case 'truncate_insert':
      body = create + (opts.targetExists ? `  DELETE FROM ${T};\n` : '') + insert;
      break;
    case 'replace':
      // the staging table (exact types, all rows) becomes the target under its name
      body =
        (opts.targetExists ? `  DROP TABLE ${T};\n` : '') +
        `  EXEC sp_rename @staging, @target_name;\n`;
      break;
    case 'merge': {
      const keys = opts.keyColumns.map(quoteIdentifier);
      const on = keys.map((k) => `t.${k} = s.${k}`).join(' AND ');
      const updates = cols.filter((c) => !keys.includes(c)).map((c) => `t.${c} = s.${c}`);
      body =
        create +
        `  MERGE ${T} AS t\n  USING ${S} AS s\n  ON ${on}\n` +
        (updates.length > 0 ? `  WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}\n` : '') +
        `  WHEN NOT MATCHED BY TARGET THEN INSERT (${list}) VALUES (${cols.map((c) => `s.${c}`).join(', ')});\n`;
      break;
    }
  }
  const dropStaging = opts.strategy === 'replace' ? '' : `  DROP TABLE ${S};\n`;
  return (
    `SET XACT_ABORT ON;\n` +
    `IF OBJECT_ID(@staging) IS NOT NULL\nBEGIN\n` +
    `  BEGIN TRANSACTION;\n${body}${dropStaging}  COMMIT TRANSACTION;\nEND`
  );
}
