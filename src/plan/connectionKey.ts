/**
 * Which pooled SQL connection a home or store holds. Named connections go by name; an inline
 * connection gets a stable key from its server and database, so two homes giving the same
 * server/database inline share one pool and one cap.
 */
import type { InlineMssqlConnectionConfig, MssqlConnectionConfig } from '../config/schema';
import type { ProjectConfig } from '../config/project';
import { HyggeError } from '../errors';

export type ConnectionRef = string | InlineMssqlConnectionConfig;

export function connectionKey(ref: ConnectionRef): string {
  return typeof ref === 'string' ? ref : `inline:${ref.server}:${ref.port}/${ref.database}`;
}

/** The full connection settings behind a reference, named or inline. */
export function resolveMssqlConnection(project: ProjectConfig, ref: ConnectionRef): MssqlConnectionConfig {
  if (typeof ref !== 'string') return { type: 'mssql', ...ref };
  const found = project.connections[ref];
  if (found === undefined || found.type !== 'mssql') {
    throw new HyggeError('CONFIG_INVALID', `no SQL Server connection named "${ref}" in hygge.yml`, {
      context: { connection: ref, file: 'hygge.yml', keyPath: `connections.${ref}` },
      hint: `Define connections.${ref} with type: mssql, or use one of: ${
        Object.entries(project.connections)
          .filter(([, c]) => c.type === 'mssql')
          .map(([n]) => n)
          .join(', ') || '(none defined)'
      }.`,
    });
  }
  return found;
}
