/**
 * `hygge debug`: is the configuration valid, can every connection be reached, and does every
 * home path exist and every store path accept writes? One line per check, with a hint for
 * each failure. Runs every check even after one fails.
 */
import { loadProject } from '../../config/loadProject';
import type { ProjectConfig } from '../../config/project';
import type { InlineMssqlConnectionConfig } from '../../config/schema';
import { buildPlan } from '../../plan/buildPlan';
import { connectionKey } from '../../plan/connectionKey';
import { EXIT_ENTITY_FAILED, EXIT_OK } from '../exitCodes';
import type { CliIO } from '../io';
import { indent } from '../output/format';
import { parseVars } from '../parseArgs';
import { probeBlobPath, probeConnection, probeLocalPath, type PathAccess, type ProbeResult } from '../probes';
import { exitCodeFor, formatError } from '../reportError';
import { toHyggeError } from '../../errors';

export interface DebugOptions {
  project: string;
  var: string[];
  verbose?: boolean;
}

const MARK = { ok: '✓', failed: '✗', not_checked: '–' } as const;

export async function debugCommand(opts: DebugOptions, io: CliIO): Promise<number> {
  let project: ProjectConfig;
  let checks: Check[];
  try {
    project = await loadProject(opts.project, { vars: parseVars(opts.var) });
    checks = pathChecks(project);
  } catch (err) {
    // The report is the output of debug, so the problems go to stdout with the rest of it.
    io.out(`Configuration\n  ${MARK.failed} ${formatError(err, opts.verbose ?? false).replace(/^error: /, '').split('\n').join('\n    ')}\n`);
    return exitCodeFor(toHyggeError(err));
  }

  const flows = Object.values(project.flows);
  const entityCount = flows.reduce((n, f) => n + f.entities.length, 0);
  io.out(`Configuration\n  ${MARK.ok} ${project.dir}/hygge.yml: ${flows.length} flow(s), ${entityCount} entit${entityCount === 1 ? 'y' : 'ies'}, ${Object.keys(project.connections).length} connection(s)\n`);

  const results: ProbeResult[] = [];
  const print = (label: string, result: ProbeResult) => {
    results.push(result);
    io.out(`  ${MARK[result.status]} ${label}: ${result.detail}\n`);
    if (result.status === 'failed' && result.hint) io.out(`${indent(`→ ${result.hint}`, '      ')}\n`);
  };

  const connections = Object.entries(project.connections);
  if (connections.length > 0) io.out('\nConnections\n');
  for (const [name, config] of connections) print(`${name} (${config.type})`, await probeConnection(name, config, project));

  io.out('\nPaths\n');
  for (const check of checks) print(check.label, await check.run());

  const failures = results.filter((r) => r.status === 'failed').length;
  const unchecked = results.filter((r) => r.status === 'not_checked').length;
  io.out(`\n${failures === 0 ? 'All checks passed' : `${failures} check(s) failed`}${unchecked > 0 ? `; ${unchecked} not checked` : ''}.\n`);
  return failures === 0 ? EXIT_OK : EXIT_ENTITY_FAILED;
}

interface Check {
  label: string;
  run(): Promise<ProbeResult>;
}

/** Every entity's home and store paths (disabled entities too), and the state location; each distinct path once. */
function pathChecks(project: ProjectConfig): Check[] {
  const everyEntity = Object.values(project.flows).flatMap((f) => f.entities.map((e) => `${f.name}.${e.name}`));
  const plan = buildPlan(project, { entities: everyEntity });
  const checks = new Map<string, Check>();
  const add = (label: string, storage: string | undefined, target: string, mode: PathAccess) => {
    const key = `${mode}|${storage ?? ''}|${target}`;
    if (checks.has(key)) return;
    checks.set(key, {
      label,
      run: () => (storage ? probeBlobPath(storage, target, mode, project) : probeLocalPath(target, mode, project)),
    });
  };
  for (const job of plan.jobs) {
    for (const [role, side] of [['home', job.home], ['store', job.store]] as const) {
      if (side.type === 'parquet') add(`${job.id} ${role}`, side.storage, side.path, role === 'home' ? 'read' : 'write');
      else if (typeof side.connection !== 'string') addInlineConnection(checks, side.connection, project);
      // a named SQL connection is checked under Connections; tables are the SQL probe's business
    }
  }
  const state = project.options.state;
  if (typeof state === 'string') add('state', undefined, state, 'write');
  else add('state', state.storage, state.path, 'write');
  return [...checks.values()];
}

/** A SQL connection given inline in a home or store has no name to list under Connections: check it here, once. */
function addInlineConnection(checks: Map<string, Check>, inline: InlineMssqlConnectionConfig, project: ProjectConfig): void {
  const key = connectionKey(inline);
  if (checks.has(key)) return;
  checks.set(key, { label: `connection ${key}`, run: () => probeConnection(key, { type: 'mssql', ...inline }, project) });
}
