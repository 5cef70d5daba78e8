import { buildPlan } from '../../../src/plan/buildPlan';
import { HyggeError } from '../../../src/errors';
import { mssqlConnection, project } from './fixtures';

describe('buildPlan', () => {
  it('substitutes {entity} in paths, appending the entity folder when the path has none', () => {
    const p = project({
      sales: [
        { name: 'orders' },
        { name: 'items', home: { type: 'parquet', path: 'in/{entity}.parquet' }, store: { type: 'parquet', path: 'lake/{entity}/v1' } },
      ],
    });
    const plan = buildPlan(p);
    expect(plan.jobs.map((j) => [j.id, j.home, j.store])).toEqual([
      ['sales.orders', expect.objectContaining({ path: 'data/in/orders' }), expect.objectContaining({ path: 'data/out/orders' })],
      ['sales.items', expect.objectContaining({ path: 'in/items.parquet' }), expect.objectContaining({ path: 'lake/items/v1' })],
    ]);
  });

  it('fills options defaults the home and store do not set, and keeps what they set', () => {
    const p = project({ f: [{ name: 'e', store: { type: 'parquet', path: 'o', compression: 'zstd' } }] });
    p.options = { ...p.options, batch_size: 1234, rows_per_file: 99, compression: 'gzip' };
    const [job] = buildPlan(p).jobs;
    expect(job!.home).toMatchObject({ batch_size: 1234 });
    expect(job!.store).toMatchObject({ compression: 'zstd', rows_per_file: 99, row_group_size: p.options.row_group_size });
  });

  it('quotes entity names into table names and queries, so a name cannot inject SQL', () => {
    const evil = "x]; DROP TABLE users;--";
    const p = project(
      {
        f: [
          { name: evil, home: { type: 'mssql', connection: 'wh', table: 'dbo.{entity}' } },
          { name: 'q', home: { type: 'mssql', connection: 'wh', query: 'SELECT * FROM dbo.{entity} WHERE 1=1' } },
        ],
      },
      { connections: { wh: mssqlConnection(3) } },
    );
    const [a, b] = buildPlan(p).jobs;
    expect(a!.home).toMatchObject({ table: '[dbo].[x]]; DROP TABLE users;--]' });
    expect(b!.home).toMatchObject({ query: 'SELECT * FROM dbo.[q] WHERE 1=1' });
  });

  it('refuses entity names that would escape a folder', () => {
    const p = project({ f: [{ name: '../etc' }] });
    expect(() => buildPlan(p)).toThrow(/cannot be used as a path segment/);
  });

  it('collects caps from pool_size for named and inline connections, and the write strategy from run_type', () => {
    const inline = { ...mssqlConnection(2), type: undefined } as never;
    const p = project(
      {
        f: [
          { name: 'a', home: { type: 'mssql', connection: 'wh', table: 'dbo.{entity}' } },
          { name: 'b', run_type: 'incremental', store: { type: 'mssql', connection: inline, table: 'dbo.{entity}', batch_size: 1, parallel_workers: 1, create_table: true } },
        ],
      },
      { connections: { wh: mssqlConnection(3) } },
    );
    const plan = buildPlan(p, {}, { concurrency: 7 });
    expect(plan.caps).toEqual({ wh: 3, 'inline:sql.example:1433/db': 2 });
    expect(plan.concurrency).toBe(7);
    expect(plan.jobs[1]!.store).toMatchObject({ write: 'append' });
    expect(plan.jobs[0]!.connections).toEqual(['wh']);
  });

  it('filters by flow and entity, names unknown ones with a suggestion', () => {
    const p = project({ sales: [{ name: 'orders' }, { name: 'items' }], hr: [{ name: 'people' }] });
    expect(buildPlan(p, { flows: ['hr'] }).jobs.map((j) => j.id)).toEqual(['hr.people']);
    expect(buildPlan(p, { entities: ['sales.items'] }).jobs.map((j) => j.id)).toEqual(['sales.items']);
    expect(() => buildPlan(p, { flows: ['sale'] })).toThrow('unknown flow "sale" — did you mean "sales"?');
    expect(() => buildPlan(p, { entities: ['sales.order'] })).toThrow('flow "sales" has no entity "order" — did you mean "orders"?');
    expect(() => buildPlan(p, { entities: ['orders'] })).toThrow('must be written as flow.entity');
    try {
      buildPlan(p, { flows: ['nope'] });
    } catch (err) {
      expect(err).toBeInstanceOf(HyggeError);
      expect((err as HyggeError).code).toBe('FILTER_INVALID');
    }
  });

  it('runs a disabled flow when it is named, but still not its disabled entities', () => {
    const p = project({ on: [{ name: 'a' }], off: [{ name: 'b' }, { name: 'c', enabled: false }] });
    p.flows.off!.enabled = false;
    expect(buildPlan(p).jobs.map((j) => j.id)).toEqual(['on.a']);
    expect(buildPlan(p, { flows: ['off'] }).jobs.map((j) => j.id)).toEqual(['off.b']);
  });

  it('leaves out disabled entities unless named, and applies a run_type override', () => {
    const p = project({ f: [{ name: 'on' }, { name: 'off', enabled: false }] });
    expect(buildPlan(p).jobs.map((j) => j.entity)).toEqual(['on']);
    expect(buildPlan(p, { entities: ['f.off'], run_type: 'incremental' }).jobs).toEqual([
      expect.objectContaining({ entity: 'off', run_type: 'incremental' }),
    ]);
  });
});
