/**
 * SQL Server store: rows go into a staging table by streaming bulk loads, and become visible
 * only in publish(), in one transaction per write strategy (see mssql/tableSql.ts):
 * append, replace (swap), truncate_insert, merge on key_columns. A failed load or publish
 * leaves the target as it was; discard() drops the staging table.
 *
 * Loads run on up to min(parallel_workers, pool_size) sessions of the connection's pool:
 * the first is waited for (or was kept by this entity's home, when they share a connection),
 * further ones are taken only when free, so a store never waits on a session another
 * entity's home holds.
 *
 * Retries: a bulk-load unit whose statement failed with a transient server error (the
 * statement rolled back) is loaded again; when the connection broke and the unit's fate is
 * unknown, the whole entity is rerun into a fresh staging table (retryable error). The publish
 * transaction is retried whole: it drops the staging table, so a retry after a commit whose
 * acknowledgement was lost does nothing.
 */
import type * as arrow from 'apache-arrow';
import { backOff } from 'exponential-backoff';
import { TYPES } from 'tedious';
import { OFFSET_OF_METADATA_KEY, sqlTypeForField } from '../arrow/arrowTypeMap';
import { sqlTypeFromTds } from '../arrow/sqlTypeFromTds';
import type { MssqlStoreConfig, Options, WriteStrategy } from '../config/schema';
import { runSql } from '../connections/mssql/execute';
import { poolFor, type SqlSession } from '../connections/mssql/pool';
import { classifySqlError, sqlFailure } from '../connections/mssql/sqlErrors';
import { backoffOptions } from '../engine/backoffOptions';
import type { RunResources } from '../engine/runResources';
import { HyggeError, type ErrorContext } from '../errors';
import type { EntityContext } from '../homes/home';
import { defaultWriteStrategy } from '../plan/buildPlan';
import { connectionKey } from '../plan/connectionKey';
import type { EntityJob } from '../plan/job';
import { formatMultipartName, parseMultipartName } from '../sql/identifier';
import { bulkLoadUnit } from './mssql/bulkLoadUnit';
import { checkAppendable } from './mssql/compatibility';
import { createTableSql, dropTableIfExistsSql, publishSql, stagingNameParts, type TableColumn } from './mssql/tableSql';
import type { StagedWrite, Store } from './store';

export function createMssqlStore(config: MssqlStoreConfig, job: EntityJob, resources: RunResources, options: Options): Store {
  const pool = poolFor(resources, resources.project, config.connection);
  const connectionName = typeof config.connection === 'string' ? config.connection : connectionKey(config.connection);
  const target = parseMultipartName(config.table);
  const targetText = formatMultipartName(target);
  const strategy: WriteStrategy = config.write ?? defaultWriteStrategy(job.run_type);
  const workers = Math.max(1, Math.min(config.parallel_workers, pool.size));

  return {
    async stage(batches: AsyncIterable<arrow.RecordBatch>, ctx: EntityContext): Promise<StagedWrite> {
      const where: ErrorContext = { flow: ctx.flow, entity: ctx.entity, connection: connectionName };
      const staging = stagingNameParts(target, `${ctx.runId.replace(/[^A-Za-z0-9]/g, '').slice(-8)}_${Math.random().toString(36).slice(2, 6)}`);
      const stagingText = formatMultipartName(staging);
      const iterator = batches[Symbol.asyncIterator]();
      const first = await iterator.next();
      const sessions: SqlSession[] = [await pool.acquireParked(job.id)];
      const idle: SqlSession[] = [sessions[0]!];
      let columns: TableColumn[] = [];
      let sqlTypes: ReturnType<typeof sqlTypeForField>[] = [];
      let targetExists = false;
      let rows = 0;
      let bytes = 0;
      let parts = 0;
      let created = false;
      try {
        const main = sessions[0]!;
        const existing = await describeTarget(main, where);
        targetExists = existing !== undefined;
        if (!targetExists && !config.create_table && strategy !== 'replace') {
          throw new HyggeError('DESTINATION_NOT_WRITABLE', `table ${targetText} does not exist and create_table is false`, {
            context: where,
            hint: 'Create the table, or set create_table: true on the store.',
          });
        }
        if (first.done) return emptyWrite();
        const schema = first.value.schema;
        sqlTypes = schema.fields.map((f) => (f.metadata.has(OFFSET_OF_METADATA_KEY) ? undefined : sqlTypeForField(f))) as never;
        columns = schema.fields
          .map((f, i) => ({ name: f.name, sqlType: sqlTypes[i]! }))
          .filter((_, i) => !schema.fields[i]!.metadata.has(OFFSET_OF_METADATA_KEY));
        if (existing && strategy !== 'replace') checkAppendable(columns, existing, targetText, where);
        await run(main, createTableSql(staging, columns), 'creating the staging table', where);
        created = true;

        // bulk loads, up to `workers` at once, each on its own session
        const inFlight = new Set<Promise<void>>();
        let failure: unknown;
        const loadUnit = async (batch: arrow.RecordBatch, start: number, end: number) => {
          const session = idle.pop() ?? (sessions.length < workers ? await pool.tryAcquire() : undefined) ?? (await waitIdle());
          if (!sessions.includes(session)) sessions.push(session);
          try {
            await backOff(
              () => bulkLoadUnit(session.connection, stagingText, batch, sqlTypes, start, end, pool.config.request_timeout_ms),
              // retried in place only when the server answered with a transient error: the statement rolled back
              backoffOptions(options.retry, (err) => {
                const f = classifySqlError(err);
                return f.number !== undefined && f.transient && !ctx.signal?.aborted;
              }),
            );
            rows += end - start;
            parts++;
          } catch (err) {
            if (classifySqlError(err).transient) session.release(true), sessions.splice(sessions.indexOf(session), 1);
            throw sqlFailure(err, `bulk-loading rows into ${stagingText}`, where);
          }
          idle.push(session);
          wakeIdle();
        };
        let idleWaiters: (() => void)[] = [];
        const wakeIdle = () => {
          const w = idleWaiters;
          idleWaiters = [];
          w.forEach((f) => f());
        };
        const waitIdle = async (): Promise<SqlSession> => {
          for (;;) {
            const s = idle.pop();
            if (s) return s;
            await new Promise<void>((r) => idleWaiters.push(r));
          }
        };
        const submit = async (batch: arrow.RecordBatch) => {
          for (let start = 0; start < batch.numRows; start += config.batch_size) {
            const end = Math.min(batch.numRows, start + config.batch_size);
            while (inFlight.size >= workers) await Promise.race(inFlight);
            if (failure) throw failure;
            const p: Promise<void> = loadUnit(batch, start, end).catch((err) => {
              failure ??= err;
            }).finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
          for (const child of batch.data.children) bytes += child.byteLength;
        };
        await submit(first.value);
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          if (failure) throw failure;
          await submit(next.value);
        }
        await Promise.all(inFlight);
        if (failure) throw failure;
      } catch (err) {
        await iterator.return?.().catch(() => undefined);
        if (created) await dropQuietly(idle[0] ?? sessions[0], stagingText);
        releaseAll();
        throw err instanceof HyggeError ? err.withContext(where) : sqlFailure(err, `staging rows for ${targetText}`, where);
      }
      releaseAll();

      return {
        rows,
        bytes,
        parts,
        publish: () => publish(where),
        discard: () => discard(where),
      };

      function releaseAll(): void {
        for (const s of sessions) s.release();
        sessions.length = 0;
      }

      function emptyWrite(): StagedWrite {
        releaseAll();
        return {
          rows: 0,
          bytes: 0,
          parts: 0,
          // nothing arrived: replace/truncate_insert leave an existing table empty, as a full load of nothing would
          publish: async () => {
            if (!targetExists || (strategy !== 'replace' && strategy !== 'truncate_insert')) return;
            await withSession((s) => run(s, `DELETE FROM ${targetText}`, `emptying ${targetText}`, where));
          },
          discard: async () => undefined,
        };
      }

      async function publish(where: ErrorContext): Promise<void> {
        const sql = publishSql({ strategy, target, staging, columns, keyColumns: config.key_columns ?? [], targetExists });
        const params = [
          { name: 'staging', type: TYPES.NVarChar, value: stagingText },
          { name: 'target_name', type: TYPES.NVarChar, value: target[target.length - 1]! },
        ];
        await backOff(
          () => withSession((s) => runSql(s.connection, sql, params).then(() => undefined)),
          backoffOptions(options.retry, (err) => classifySqlError(err).transient && !ctx.signal?.aborted),
        ).catch((err: unknown) => {
          throw sqlFailure(err, `publishing ${targetText} (${strategy})`, where);
        });
      }

      async function discard(where: ErrorContext): Promise<void> {
        await withSession((s) => run(s, dropTableIfExistsSql(staging), 'dropping the staging table', where)).catch(() => undefined);
      }
    },
  };

  async function describeTarget(session: SqlSession, where: ErrorContext): Promise<TableColumn[] | undefined> {
    try {
      const result = await runSql(session.connection, `SELECT TOP (0) * FROM ${targetText}`);
      return result.columns.map((m) => ({ name: m.colName, sqlType: sqlTypeFromTds(m) ?? { base: 'nvarchar', length: 'max' } }));
    } catch (err) {
      if (classifySqlError(err).number === 208) return undefined;
      throw sqlFailure(err, `reading the columns of ${targetText}`, where);
    }
  }

  async function run(session: SqlSession, sql: string, doing: string, where: ErrorContext): Promise<void> {
    try {
      await runSql(session.connection, sql);
    } catch (err) {
      throw sqlFailure(err, doing, where);
    }
  }

  async function dropQuietly(session: SqlSession | undefined, stagingText: string): Promise<void> {
    if (!session) return;
    await runSql(session.connection, `DROP TABLE IF EXISTS ${stagingText}`).catch(() => undefined);
  }

  async function withSession<T>(fn: (s: SqlSession) => Promise<T>): Promise<T> {
    const session = await pool.acquire();
    let broken = false;
    try {
      return await fn(session);
    } catch (err) {
      broken = classifySqlError(err).transient;
      throw err;
    } finally {
      session.release(broken);
    }
  }
}
