/**
 * The plan: which entity jobs a run executes, with `{entity}` substituted, `options` defaults
 * filled in, and the caps that bound concurrency. Pure: reads the project, touches nothing.
 * The CLI and the Functions `plan` activity both call this, so a filter error reads the same
 * in both.
 */
import type { EntityConfig, ProjectConfig } from '../config/project';
import type { HomeConfig, Options, RunType, StoreConfig, WriteStrategy } from '../config/schema';
import { HyggeError } from '../errors';
import { didYouMean } from '../config/suggest';
import { connectionKey, resolveMssqlConnection, type ConnectionRef } from './connectionKey';
import type { EntityJob, Plan, RunFilter } from './job';
import { newRunId } from './runId';
import { assertValidEntityName, substitutePath, substituteQuery, substituteTableName } from './substitute';

export interface PlanOptions {
  runId?: string;
  /** overrides options.concurrency (the CLI's --concurrency) */
  concurrency?: number;
}

export function buildPlan(project: ProjectConfig, filter: RunFilter = {}, opts: PlanOptions = {}): Plan {
  const selected = selectEntities(project, filter);
  const jobs = selected.map((entity) => buildJob(project, entity, filter.run_type));
  const caps: Record<string, number> = {};
  for (const job of jobs) {
    for (const key of job.connections) caps[key] ??= poolSizeOf(project, job, key);
  }
  const concurrency = opts.concurrency ?? project.options.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new HyggeError('FILTER_INVALID', `concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  return { runId: opts.runId ?? newRunId(), project: project.name, jobs, caps, concurrency };
}

/**
 * Entities named by the filter, in project order. Unknown names are errors (with a
 * suggestion). Disabled flows and entities are left out unless named explicitly: `--flow f`
 * runs a disabled flow's enabled entities, `--entity f.e` runs that entity whatever its flags.
 */
function selectEntities(project: ProjectConfig, filter: RunFilter): EntityConfig[] {
  const flowNames = Object.keys(project.flows);
  for (const flow of filter.flows ?? []) {
    if (!project.flows[flow]) {
      throw new HyggeError('FILTER_INVALID', `unknown flow "${flow}"${didYouMean(flow, flowNames)}`, {
        hint: `Flows in this project: ${flowNames.join(', ') || '(none)'}.`,
      });
    }
  }
  const named = new Set<string>();
  for (const id of filter.entities ?? []) {
    const dot = id.indexOf('.');
    const flowName = dot > 0 ? id.slice(0, dot) : '';
    const entityName = dot > 0 ? id.slice(dot + 1) : '';
    const flow = project.flows[flowName];
    if (!flow) {
      throw new HyggeError(
        'FILTER_INVALID',
        dot > 0
          ? `unknown flow "${flowName}" in entity "${id}"${didYouMean(flowName, flowNames)}`
          : `entity "${id}" must be written as flow.entity`,
        { hint: `Flows in this project: ${flowNames.join(', ') || '(none)'}.` },
      );
    }
    const entityNames = flow.entities.map((e) => e.name);
    if (!entityNames.includes(entityName)) {
      throw new HyggeError(
        'FILTER_INVALID',
        `flow "${flowName}" has no entity "${entityName}"${didYouMean(entityName, entityNames)}`,
        { context: { flow: flowName, file: flow.file }, hint: `Its entities: ${entityNames.join(', ') || '(none)'}.` },
      );
    }
    named.add(id);
  }
  const byFlow = new Set(filter.flows ?? []);
  const noFilter = byFlow.size === 0 && named.size === 0;
  const out: EntityConfig[] = [];
  for (const flow of Object.values(project.flows)) {
    for (const entity of flow.entities) {
      const id = `${flow.name}.${entity.name}`;
      if (named.has(id)) out.push(entity);
      // a flow named in the filter runs even if disabled (like a named entity); its disabled entities still do not
      else if (byFlow.has(flow.name) && entity.enabled) out.push(entity);
      else if (noFilter && flow.enabled && entity.enabled) out.push(entity);
    }
  }
  return out;
}

function buildJob(project: ProjectConfig, entity: EntityConfig, runTypeOverride: RunType | undefined): EntityJob {
  assertValidEntityName(entity.name, { flow: entity.flow, file: entity.source_file });
  const run_type = runTypeOverride ?? entity.run_type;
  if (entity.watermark && entity.home.type === 'parquet') {
    throw new HyggeError('CONFIG_INVALID', 'watermark.column applies to SQL Server homes; a Parquet home reads new files incrementally', {
      hint: 'Remove watermark: from this entity; with run_type: incremental it reads only files added since the last successful run.',
      context: { flow: entity.flow, entity: entity.name, file: entity.source_file, keyPath: 'watermark' },
    });
  }
  try {
    const home = substituteHome(entity.home, entity.name, project.options);
    const store = substituteStore(entity.store, entity.name, project.options, run_type);
    const connections = [...new Set([...connectionsOf(home), ...connectionsOf(store)])];
    return {
      id: `${entity.flow}.${entity.name}`,
      flow: entity.flow,
      entity: entity.name,
      home,
      store,
      run_type,
      ...(entity.watermark ? { watermark: entity.watermark } : {}),
      connections,
    };
  } catch (err) {
    if (err instanceof HyggeError) throw err.withContext({ flow: entity.flow, entity: entity.name, file: entity.source_file });
    throw err;
  }
}

function substituteHome(home: HomeConfig, entity: string, options: Options): HomeConfig {
  const batch_size = home.batch_size ?? options.batch_size;
  if (home.type === 'parquet') return { ...home, path: substitutePath(home.path, entity), batch_size };
  return {
    ...home,
    batch_size,
    ...(home.table !== undefined ? { table: substituteTableName(home.table, entity) } : {}),
    ...(home.query !== undefined ? { query: substituteQuery(home.query, entity) } : {}),
  };
}

function substituteStore(store: StoreConfig, entity: string, options: Options, runType: RunType): StoreConfig {
  if (store.type === 'parquet') {
    return {
      ...store,
      path: substitutePath(store.path, entity),
      compression: store.compression ?? options.compression,
      row_group_size: store.row_group_size ?? options.row_group_size,
      rows_per_file: store.rows_per_file ?? options.rows_per_file,
    };
  }
  return {
    ...store,
    table: substituteTableName(store.table, entity),
    write: store.write ?? defaultWriteStrategy(runType),
  };
}

/** What a data engineer expects from the run type when a SQL store names no `write:`. */
export function defaultWriteStrategy(runType: RunType): WriteStrategy {
  return runType === 'incremental' ? 'append' : 'replace';
}

function connectionsOf(side: HomeConfig | StoreConfig): string[] {
  return side.type === 'mssql' ? [connectionKey(side.connection)] : [];
}

function poolSizeOf(project: ProjectConfig, job: EntityJob, key: string): number {
  const refs: ConnectionRef[] = [];
  for (const side of [job.home, job.store]) if (side.type === 'mssql') refs.push(side.connection);
  const ref = refs.find((r) => connectionKey(r) === key)!;
  return resolveMssqlConnection(project, ref).pool_size;
}
