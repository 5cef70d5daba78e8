/**
 * `hygge debug` for a SQL Server connection: log in the way a run would (same credential,
 * same encryption), ask for the version and current database, and close again.
 */
import type { ProjectConfig } from '../../config/project';
import type { MssqlConnectionConfig } from '../../config/schema';
import { toHyggeError } from '../../errors';
import { runSql } from './execute';
import { MssqlPool, serverAddress } from './pool';

export async function probeMssqlConnection(
  name: string,
  config: MssqlConnectionConfig,
  project: ProjectConfig,
): Promise<{ ok: boolean; message: string; hint?: string }> {
  const pool = new MssqlPool(name, { ...config, pool_size: 1 }, { ...project.options.retry, attempts: 1 });
  try {
    const session = await pool.acquire();
    try {
      const { rows } = await runSql(session.connection, 'SELECT @@VERSION, DB_NAME()');
      const version = String(rows[0]?.[0] ?? '').split('\n')[0]!.trim();
      return { ok: true, message: `logged in to ${serverAddress(config)}/${rows[0]?.[1] ?? config.database} (${config.auth}): ${version}` };
    } finally {
      session.release();
    }
  } catch (err) {
    const e = toHyggeError(err, { connection: name });
    return { ok: false, message: e.message, hint: e.hint };
  } finally {
    await pool.close().catch(() => undefined);
  }
}
