/**
 * Names that point at other parts of the project must point at something that exists and is
 * of the right kind: a SQL home/store at an `mssql` connection, a Parquet `storage` (and the
 * state location) at a `blob` connection, a schedule at flows and entities that exist.
 */
import type { ConnectionConfig, HomeConfig, Options, Schedule, StoreConfig } from './schema';
import type { ConfigProblem, KeyPath } from './problems';
import type { Locate } from './zodIssues';
import { didYouMean, suggest } from './suggest';

type Kind = ConnectionConfig['type'];

function connectionProblem(
  name: string,
  wanted: Kind,
  what: string,
  connections: Record<string, ConnectionConfig>,
): string | undefined {
  const found = connections[name];
  const ofKind = Object.keys(connections).filter((n) => connections[n].type === wanted);
  const listing = ofKind.length > 0 ? `${wanted} connections defined in hygge.yml: ${ofKind.join(', ')}` : `hygge.yml defines no ${wanted} connections`;
  if (!found) {
    const guess = didYouMean(name, ofKind.length > 0 ? ofKind : Object.keys(connections));
    return `unknown connection "${name}"${guess} (${listing})`;
  }
  if (found.type !== wanted) return `connection "${name}" is a ${found.type} connection, but ${what} needs a ${wanted} connection (${listing})`;
  return undefined;
}

/** What reference checks read of a home or store; also works on one that failed validation. */
type EndpointRefs = Partial<Record<'type' | 'connection' | 'storage', unknown>>;

/** Problems with the connections a home or store names. `locate` maps its paths to files. */
export function checkEndpointConnections(
  role: 'home' | 'store',
  endpoint: HomeConfig | StoreConfig | EndpointRefs,
  locate: Locate,
  connections: Record<string, ConnectionConfig>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (key: string, message: string | undefined) => {
    if (message) problems.push({ ...locate([key]), message, code: 'CONFIG_INVALID', hint: 'Define connections under connections: in hygge.yml and refer to them by name.' });
  };
  const refs = endpoint as EndpointRefs;
  if (refs.type === 'mssql' && typeof refs.connection === 'string') {
    add('connection', connectionProblem(refs.connection, 'mssql', `a SQL Server ${role}`, connections));
  }
  if (refs.type === 'parquet' && typeof refs.storage === 'string') {
    add('storage', connectionProblem(refs.storage, 'blob', `a Parquet ${role}'s storage`, connections));
  }
  return problems;
}

export function checkOptionsConnections(options: Options, connections: Record<string, ConnectionConfig>, file: string): ConfigProblem[] {
  if (typeof options.state === 'string') return [];
  const message = connectionProblem(options.state.storage, 'blob', 'the state location', connections);
  return message ? [{ file, keyPath: ['options', 'state', 'storage'], message, code: 'CONFIG_INVALID' }] : [];
}

/** Schedules name flows and `flow.entity` entities; each must exist. */
export function checkScheduleTargets(
  schedules: readonly Schedule[],
  flows: Record<string, { entities: { name: string }[] }>,
  file: string,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const flowNames = Object.keys(flows);
  const entityIds = Object.entries(flows).flatMap(([f, flow]) => flow.entities.map((e) => `${f}.${e.name}`));
  schedules.forEach((schedule, i) => {
    schedule.flows?.forEach((flow, j) => {
      if (!flows[flow]) problems.push(at(file, ['schedules', i, 'flows', j], `unknown flow "${flow}"${didYouMean(flow, flowNames)} (flows: ${flowNames.join(', ') || 'none'})`));
    });
    schedule.entities?.forEach((id, j) => {
      if (entityIds.includes(id)) return;
      const guess = suggest(id, entityIds);
      const message = id.includes('.')
        ? `unknown entity "${id}"${guess ? ` — did you mean "${guess}"?` : ''}`
        : `entities are written as flow.entity, got "${id}"${guess ? ` — did you mean "${guess}"?` : ''}`;
      problems.push(at(file, ['schedules', i, 'entities', j], message));
    });
  });
  return problems;
}

function at(file: string, keyPath: KeyPath, message: string): ConfigProblem {
  return { file, keyPath, message, code: 'CONFIG_INVALID' };
}
