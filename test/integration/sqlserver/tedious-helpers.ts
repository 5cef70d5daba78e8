/** Promise wrappers over the real tedious client, used by the stand-in conformance tests. */
import { Connection, Request, TYPES, type ConnectionConfiguration } from 'tedious';

export type Row = Record<string, unknown>;

export function connect(config: ConnectionConfiguration): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const c = new Connection(config);
    c.on('error', () => {});
    c.connect((err) => (err ? reject(err) : resolve(c)));
  });
}

export function close(c: Connection): Promise<void> {
  return new Promise((resolve) => {
    if ((c as unknown as { closed?: boolean }).closed) return resolve();
    c.on('end', () => resolve());
    c.close();
  });
}

export interface Param {
  name: string;
  type: (typeof TYPES)[keyof typeof TYPES];
  value: unknown;
  options?: { length?: number; precision?: number; scale?: number };
}

/** Runs a statement (execSql with parameters, or execSqlBatch without) and collects rows. */
export function query(c: Connection, sql: string, params: Param[] = [], batch = params.length === 0): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const rows: Row[] = [];
    const req = new Request(sql, (err) => (err ? reject(err) : resolve(rows)));
    for (const p of params) req.addParameter(p.name, p.type, p.value, p.options);
    req.on('row', (cols) => {
      const row: Row = {};
      for (const col of cols) row[col.metadata.colName] = col.value;
      rows.push(row);
    });
    if (batch) c.execSqlBatch(req);
    else c.execSql(req);
  });
}

export interface BulkColumn {
  name: string;
  type: (typeof TYPES)[keyof typeof TYPES];
  options?: { nullable?: boolean; length?: number; precision?: number; scale?: number };
}

export function bulkLoad(c: Connection, table: string, columns: BulkColumn[], rows: unknown[][], options: Record<string, unknown> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const bulk = c.newBulkLoad(table, options, (err, rowCount) => (err ? reject(err) : resolve(rowCount ?? 0)));
    for (const col of columns) bulk.addColumn(col.name, col.type, col.options ?? { nullable: true });
    c.execBulkLoad(bulk, rows);
  });
}

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected the operation to fail');
}

export { TYPES };
