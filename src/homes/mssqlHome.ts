/**
 * SQL Server home: a table or a query, streamed into Arrow record batches.
 *
 * 1. A metadata probe (`SELECT TOP (0) …`) learns the result's columns and their exact SQL
 *    types, and turns a missing table (208) or column (207) into a clear error before any
 *    data moves.
 * 2. The read selects large decimals, money and datetimeoffset as text (exact; see
 *    selectSql.ts) and streams rows into batches of `batch_size` with pause/resume.
 * 3. Incremental runs add `WHERE [col] > CAST(@watermark AS <type>)`; the first run reads all.
 *
 * Transient faults throw a retryable HyggeError: rows already handed on cannot be taken
 * back, so runEntity reruns the whole entity.
 */
import type * as arrow from 'apache-arrow';
import { TYPES } from 'tedious';
import type { ReadColumn } from '../arrow/columnAccumulators';
import { isNullableColumn, sqlTypeFromTds } from '../arrow/sqlTypeFromTds';
import type { MssqlHomeConfig, Options } from '../config/schema';
import { runSql } from '../connections/mssql/execute';
import { poolFor, type SqlSession } from '../connections/mssql/pool';
import { classifySqlError, sqlFailure } from '../connections/mssql/sqlErrors';
import type { RunResources } from '../engine/runResources';
import { HyggeError, type ErrorContext } from '../errors';
import { connectionKey } from '../plan/connectionKey';
import type { EntityJob } from '../plan/job';
import type { EntityContext, Home } from './home';
import { columnName, needsText, probeSql, readSql, type SourceSpec } from './mssql/selectSql';
import { streamRows, usesRowDecoder } from './mssql/streamRows';
import { WatermarkTracker } from './mssql/watermark';

export function createMssqlHome(config: MssqlHomeConfig, job: EntityJob, resources: RunResources, options: Options): Home {
  const pool = poolFor(resources, resources.project, config.connection);
  const connectionName = typeof config.connection === 'string' ? config.connection : connectionKey(config.connection);
  const source: SourceSpec = config.table !== undefined ? { table: config.table } : { query: config.query! };
  const batchSize = config.batch_size ?? options.batch_size;
  const storeShares =
    job.store.type === 'mssql' && connectionKey(job.store.connection) === connectionKey(config.connection);
  let tracker: WatermarkTracker | undefined;
  const where = (ctx: EntityContext): ErrorContext => ({ flow: ctx.flow, entity: ctx.entity, connection: connectionName });

  return {
    async *read(ctx: EntityContext): AsyncIterable<arrow.RecordBatch> {
      // the store of this entity will want a session of the same pool: take it now, with ours
      const session: SqlSession = storeShares ? await pool.acquireKeepingOneFor(job.id) : await pool.acquire();
      let broken = false;
      try {
        const columns = await describe(session, ctx);
        const watermarkColumn = job.run_type === 'incremental' && job.watermark ? findColumn(columns, job.watermark.column, ctx) : undefined;
        tracker = watermarkColumn ? new WatermarkTracker(watermarkColumn.name, watermarkColumn.sqlType) : undefined;
        const incremental = watermarkColumn !== undefined && ctx.previousWatermark !== undefined;
        const sql = readSql(source, columns, incremental ? { column: watermarkColumn } : undefined);
        const params = incremental ? [{ name: 'watermark', type: TYPES.NVarChar, value: ctx.previousWatermark }] : [];
        try {
          for await (const batch of streamRows(session.connection, sql, params, columns, batchSize, ctx.signal)) {
            tracker?.observe(batch);
            yield batch;
          }
        } catch (err) {
          if (err instanceof HyggeError) throw err;
          broken = classifySqlError(err).transient;
          throw readFailure(err, ctx);
        }
      } finally {
        session.release(broken);
        if (storeShares) pool.unpark(job.id);
      }
    },
    watermark: () => tracker?.value,
  };

  async function describe(session: SqlSession, ctx: EntityContext): Promise<ReadColumn[]> {
    let result;
    try {
      result = await runSql(session.connection, probeSql(source, config.columns));
    } catch (err) {
      throw readFailure(err, ctx);
    }
    const columns = result.columns.map((meta): ReadColumn => {
      const sqlType = sqlTypeFromTds(meta);
      if (!sqlType) {
        throw new HyggeError('SCHEMA_MISMATCH', `column "${meta.colName}" has SQL type ${meta.type.name}, which hygge cannot read`, {
          context: where(ctx),
          hint: 'Leave it out with `columns:`, or convert it in a `query:` (e.g. CAST to nvarchar).',
        });
      }
      return { name: meta.colName, sqlType, nullable: isNullableColumn(meta), asText: false };
    });
    // the row decoder reads every type exactly from its wire form; tedious's values need text for some
    if (!usesRowDecoder(columns)) for (const c of columns) c.asText = needsText(c.sqlType);
    return columns;
  }

  function findColumn(columns: ReadColumn[], wanted: string, ctx: EntityContext): ReadColumn {
    const name = columnName(wanted);
    const found = columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw new HyggeError('CONFIG_INVALID', `watermark column "${name}" is not among the columns read: ${columns.map((c) => c.name).join(', ')}`, {
        context: where(ctx),
        hint: 'Set watermark.column to a column of the table or query (and include it in `columns:` if you list them).',
      });
    }
    return found;
  }

  function readFailure(err: unknown, ctx: EntityContext): HyggeError {
    const fault = classifySqlError(err);
    const what = 'table' in source ? `table ${source.table}` : 'the query';
    if (fault.number === 208) {
      return new HyggeError('SOURCE_NOT_FOUND', `${what} does not exist in database ${pool.config.database} (SQL error 208): ${fault.message}`, {
        context: { ...where(ctx), sqlNumber: 208 },
        hint: `Check home.table for ${ctx.flow}.${ctx.entity} (the entity name is substituted into it), and that the identity may see the table.`,
        cause: err,
      });
    }
    if (fault.number === 207) {
      return new HyggeError('SCHEMA_MISMATCH', `${what}: a column does not exist (SQL error 207): ${fault.message}`, {
        context: { ...where(ctx), sqlNumber: 207 },
        hint: 'Check home.columns and watermark.column against the table’s columns.',
        cause: err,
      });
    }
    return sqlFailure(err, `reading ${what}`, where(ctx));
  }
}

