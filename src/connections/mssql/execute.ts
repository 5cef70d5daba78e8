/**
 * Running statements on one pooled tedious session: small results collected, with typed
 * parameters. Large reads stream instead (src/homes/mssql/streamRows.ts).
 */
import { Request, TYPES, type Connection } from 'tedious';
import type { TdsColumnMetadata } from '../../arrow/sqlTypeFromTds';

export interface SqlParameter {
  name: string;
  type: (typeof TYPES)[keyof typeof TYPES];
  value: unknown;
  options?: { length?: number; precision?: number; scale?: number };
}

export interface SqlResult {
  columns: TdsColumnMetadata[];
  rows: unknown[][];
  rowCount: number;
}

/** Runs `sql` (parameters via sp_executesql, else as a plain batch) and collects what it returns. */
export function runSql(connection: Connection, sql: string, params: SqlParameter[] = []): Promise<SqlResult> {
  return new Promise((resolve, reject) => {
    let columns: TdsColumnMetadata[] = [];
    const rows: unknown[][] = [];
    const request = new Request(sql, (err, rowCount) => {
      if (err) reject(err);
      else resolve({ columns, rows, rowCount: rowCount ?? 0 });
    });
    request.on('columnMetadata', (meta: unknown) => {
      columns = (Array.isArray(meta) ? meta : Object.values(meta as object)) as TdsColumnMetadata[];
    });
    request.on('row', (cells: { value: unknown }[]) => {
      rows.push(cells.map((c) => c.value));
    });
    for (const p of params) request.addParameter(p.name, p.type, p.value, p.options);
    if (params.length > 0) connection.execSql(request);
    else connection.execSqlBatch(request);
  });
}
