import { HyggeError } from '../../../src/errors';
import { loadProject } from '../../../src/config/loadProject';
import { sampleFiles, writeProject } from './writeProject';

async function loadError(files: Record<string, string>, opts: Parameters<typeof loadProject>[1] = { env: {} }): Promise<HyggeError> {
  const dir = writeProject(files);
  try {
    await loadProject(dir, opts);
  } catch (err) {
    if (err instanceof HyggeError) return err;
    throw err;
  }
  throw new Error('expected loadProject to fail');
}

const blobAndSql = [
  'name: demo',
  'connections:',
  '  lake: { type: blob, account_url: "https://acct.blob.core.windows.net", container: data }',
  '  warehouse: { type: mssql, server: sql.example.net, database: dw }',
  '',
].join('\n');

describe('loadProject: happy path and merging', () => {
  it('loads a minimal project with inline entity names', async () => {
    const project = await loadProject(writeProject(sampleFiles()), { env: {} });
    expect(project.name).toBe('demo');
    expect(project.options.batch_size).toBe(50_000);
    expect(Object.keys(project.flows)).toEqual(['sales']);
    const flow = project.flows.sales;
    expect(flow.file).toBe('flows/sales/flow.yml');
    expect(flow.entities.map((e) => e.name)).toEqual(['orders', 'customers']);
    expect(flow.entities[0]).toMatchObject({ flow: 'sales', run_type: 'full_drop', enabled: true, source_file: 'flows/sales/flow.yml' });
    expect(flow.entities[0].home).toEqual({ type: 'parquet', path: 'data/in' });
  });

  it('merges flow <- defaults <- inline <- entity file, deep for objects, replacing arrays', async () => {
    const project = await loadProject(
      writeProject(
        sampleFiles({
          'flows/sales/flow.yml': [
            'home: { type: parquet, path: data/in, columns: [a, b] }',
            'store: { type: parquet, path: data/out, compression: zstd, row_group_size: 10 }',
            'run_type: incremental',
            'defaults:',
            '  store: { compression: gzip, rows_per_file: 100 }',
            '  enabled: false',
            'entities:',
            '  - name: orders',
            '    store: { compression: none }',
            '    home: { columns: [c] }',
            '  - customers',
            '',
          ].join('\n'),
          'flows/sales/entities/orders.yml': 'store:\n  row_group_size: 99\nrun_type: full_drop\nenabled: true\n',
          'flows/sales/entities/products.yml': 'home:\n  path: elsewhere\n',
        }),
      ),
      { env: {} },
    );
    const [orders, customers, products] = project.flows.sales.entities;
    expect(orders.name).toBe('orders');
    expect(orders.store).toEqual({ type: 'parquet', path: 'data/out', compression: 'none', row_group_size: 99, rows_per_file: 100 });
    expect(orders.home).toEqual({ type: 'parquet', path: 'data/in', columns: ['c'] });
    expect(orders.run_type).toBe('full_drop');
    expect(orders.enabled).toBe(true);
    expect(orders.source_file).toBe('flows/sales/entities/orders.yml');
    expect(customers.store).toMatchObject({ compression: 'gzip', row_group_size: 10 });
    expect(customers.run_type).toBe('incremental');
    expect(customers.enabled).toBe(false);
    // an entity file alone defines an entity, named after the file
    expect(products.name).toBe('products');
    expect(products.home).toEqual({ type: 'parquet', path: 'elsewhere', columns: ['a', 'b'] });
  });

  it('takes the entity name from name: in the file when given', async () => {
    const project = await loadProject(
      writeProject(sampleFiles({ 'flows/sales/flow.yml': 'home: { type: parquet, path: in }\nstore: { type: parquet, path: out }\n', 'flows/sales/entities/x.yml': 'name: order_lines\n' })),
      { env: {} },
    );
    expect(project.flows.sales.entities.map((e) => e.name)).toEqual(['order_lines']);
  });

  it('accepts connections referenced by name with the right type', async () => {
    const project = await loadProject(
      writeProject(
        sampleFiles({
          'hygge.yml': blobAndSql + 'options:\n  state: { storage: lake, path: state }\n',
          'flows/sales/flow.yml': 'home: { type: mssql, connection: warehouse, table: "dbo.{entity}" }\nstore: { type: parquet, storage: lake, path: raw }\nentities: [orders]\n',
        }),
      ),
      { env: {} },
    );
    expect(project.flows.sales.entities[0].home).toMatchObject({ type: 'mssql', connection: 'warehouse' });
    expect(project.connections.warehouse).toMatchObject({ type: 'mssql', pool_size: 5 });
  });
});

describe('loadProject: variables', () => {
  const files = (value: string) => sampleFiles({ 'flows/sales/flow.yml': `home: { type: parquet, path: "${value}" }\nstore: { type: parquet, path: out }\nentities: [orders]\n` });

  it('expands ${VAR} from the environment and ${VAR:-default}', async () => {
    const p1 = await loadProject(writeProject(files('${ROOT}/in')), { env: { ROOT: '/data' } });
    expect(p1.flows.sales.entities[0].home).toMatchObject({ path: '/data/in' });
    const p2 = await loadProject(writeProject(files('${ROOT:-fallback}/in')), { env: {} });
    expect(p2.flows.sales.entities[0].home).toMatchObject({ path: 'fallback/in' });
  });

  it('prefers --var over the environment', async () => {
    const p = await loadProject(writeProject(files('${ROOT}/in')), { env: { ROOT: 'env' }, vars: { ROOT: 'cli' } });
    expect(p.flows.sales.entities[0].home).toMatchObject({ path: 'cli/in' });
  });

  it('keeps $${VAR} as a literal ${VAR}', async () => {
    const p = await loadProject(writeProject(files('$${ROOT}/in')), { env: { ROOT: 'x' } });
    expect(p.flows.sales.entities[0].home).toMatchObject({ path: '${ROOT}/in' });
  });

  it('gives numbers their type when a whole value is one variable', async () => {
    const p = await loadProject(writeProject(sampleFiles({ 'hygge.yml': 'name: demo\noptions:\n  batch_size: ${BATCH:-1000}\n' })), { env: {} });
    expect(p.options.batch_size).toBe(1000);
  });

  it('reports an unset variable with file, key path and how to set it', async () => {
    const err = await loadError(files('${DATA_ROOT}/in'));
    expect(err.code).toBe('CONFIG_VARIABLE_UNSET');
    expect(err.context).toMatchObject({ file: 'flows/sales/flow.yml', keyPath: 'home.path' });
    expect(err.message).toContain('DATA_ROOT');
    expect(err.hint).toContain('--var DATA_ROOT=');
    expect(err.describe()).toContain('flows/sales/flow.yml at home.path: variable DATA_ROOT is not set');
  });
});

describe('loadProject: errors', () => {
  it('says how to create a project when hygge.yml is missing', async () => {
    const err = await loadError({ 'other.txt': '' });
    expect(err.code).toBe('CONFIG_NOT_FOUND');
    expect(err.hint).toMatch(/hygge init/);
    expect(err.hint).toMatch(/--project/);
  });

  it('names file, line and column of a YAML syntax error', async () => {
    const err = await loadError(sampleFiles({ 'flows/sales/entities/orders.yml': 'store:\n  compression: [snappy\nhome: x\n' }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.describe()).toMatch(/flows\/sales\/entities\/orders\.yml.*line \d+, column \d+/);
  });

  it('suggests the nearest key for a top-level typo in hygge.yml', async () => {
    const err = await loadError(sampleFiles({ 'hygge.yml': 'name: demo\nconections: {}\n' }));
    expect(err.describe()).toContain('hygge.yml at conections: unknown key "conections" — did you mean "connections"?');
  });

  it('suggests the nearest key for a typo in flow.yml and in a home', async () => {
    const err = await loadError(
      sampleFiles({ 'flows/sales/flow.yml': 'home: { type: parquet, path: in, btach_size: 5 }\nstroe: { type: parquet, path: out }\nstore: { type: parquet, path: out }\nentities: [a]\n' }),
    );
    expect(err.message).toContain('flows/sales/flow.yml at stroe: unknown key "stroe" — did you mean "store"?');
    expect(err.message).toContain('flows/sales/flow.yml at home.btach_size: unknown key "btach_size" — did you mean "batch_size"?');
  });

  it('suggests keys of the right home type (mssql vs parquet)', async () => {
    const err = await loadError(
      sampleFiles({ 'hygge.yml': blobAndSql, 'flows/sales/flow.yml': 'home: { type: mssql, connection: warehouse, tabel: t }\nstore: { type: parquet, path: out }\nentities: [a]\n' }),
    );
    expect(err.message).toContain('at home.tabel: unknown key "tabel" — did you mean "table"?');
  });

  it('reports a typo in an entity file against that file', async () => {
    const err = await loadError(sampleFiles({ 'flows/sales/entities/orders.yml': 'stroe:\n  compression: zstd\n' }));
    expect(err.describe()).toContain('flows/sales/entities/orders.yml at stroe: unknown key "stroe" — did you mean "store"?');
  });

  it('reports a typo in options with a suggestion', async () => {
    const err = await loadError(sampleFiles({ 'hygge.yml': 'name: demo\noptions:\n  concurency: 3\n' }));
    expect(err.describe()).toContain('hygge.yml at options.concurency: unknown key "concurency" — did you mean "concurrency"?');
  });

  it('reports a bad value in a merged store against the file that set it', async () => {
    const err = await loadError(sampleFiles({ 'flows/sales/entities/orders.yml': 'store:\n  compression: lz4\n' }));
    expect(err.describe()).toContain('flows/sales/entities/orders.yml at store.compression: expected one of snappy|zstd|gzip|none, got "lz4"');
  });

  it('reports a wrong type with what was expected', async () => {
    const err = await loadError(sampleFiles({ 'hygge.yml': 'name: demo\noptions:\n  batch_size: lots\n' }));
    expect(err.describe()).toContain('hygge.yml at options.batch_size: expected a number, got "lots"');
  });

  it('reports a missing required key where the type was chosen', async () => {
    const err = await loadError(sampleFiles({ 'flows/sales/flow.yml': 'home: { type: parquet }\nstore: { type: parquet, path: out }\nentities: [a]\n' }));
    expect(err.describe()).toContain('flows/sales/flow.yml at home.path: missing; expected a string');
  });

  it('reports an unknown connection with the defined ones and a suggestion', async () => {
    const err = await loadError(
      sampleFiles({ 'hygge.yml': blobAndSql, 'flows/sales/flow.yml': 'home: { type: mssql, connection: warehous, table: t }\nstore: { type: parquet, path: out }\nentities: [a]\n' }),
    );
    expect(err.message).toContain('unknown connection "warehous" — did you mean "warehouse"?');
    expect(err.message).toContain('mssql connections defined in hygge.yml: warehouse');
    expect(err.context.keyPath).toBe('home.connection');
  });

  it('reports an unknown connection together with other problems of the same home', async () => {
    const err = await loadError(
      sampleFiles({ 'hygge.yml': blobAndSql, 'flows/sales/flow.yml': 'home: { type: mssql, connection: nope, table: t, query: q }\nstore: { type: parquet, path: out }\nentities: [a]\n' }),
    );
    expect(err.message).toContain('at home.table: give exactly one of table and query');
    expect(err.message).toContain('at home.connection: unknown connection "nope"');
  });

  it('rejects a connection of the wrong type for home, store storage and state', async () => {
    const err = await loadError(
      sampleFiles({
        'hygge.yml': blobAndSql + 'options:\n  state: { storage: warehouse, path: s }\n',
        'flows/sales/flow.yml': 'home: { type: mssql, connection: lake, table: t }\nstore: { type: parquet, storage: warehouse, path: out }\nentities: [a]\n',
      }),
    );
    expect(err.message).toContain('flows/sales/flow.yml at home.connection: connection "lake" is a blob connection, but a SQL Server home needs a mssql connection');
    expect(err.message).toContain('flows/sales/flow.yml at store.storage: connection "warehouse" is a mssql connection');
    expect(err.message).toContain('hygge.yml at options.state.storage: connection "warehouse" is a mssql connection');
  });

  it('rejects an entity listed twice, and two files naming the same entity', async () => {
    const err = await loadError(
      sampleFiles({
        'flows/sales/flow.yml': 'home: { type: parquet, path: in }\nstore: { type: parquet, path: out }\nentities: [orders, customers, orders]\n',
        'flows/sales/entities/a.yml': 'name: lines\n',
        'flows/sales/entities/b.yml': 'name: lines\n',
      }),
    );
    expect(err.message).toContain('flows/sales/flow.yml at entities[2]: entity "orders" is listed twice');
    expect(err.message).toContain('flows/sales/entities/b.yml at name: entity "lines" is also defined by flows/sales/entities/a.yml');
  });

  it('rejects a flow name that differs from its folder', async () => {
    const err = await loadError(sampleFiles({ 'flows/sales/flow.yml': 'name: revenue\nhome: { type: parquet, path: in }\nstore: { type: parquet, path: out }\n' }));
    expect(err.describe()).toContain('flows/sales/flow.yml at name: flow name "revenue" does not match its folder "sales"');
  });

  it('reports every problem of every file at once', async () => {
    const err = await loadError(
      sampleFiles({
        'hygge.yml': 'name: demo\nstroe: 1\noptions:\n  batch_size: -1\n',
        'flows/sales/flow.yml': 'home: { type: parquet, path: in }\nstore: { type: parquet, path: out, compression: lz4 }\nentities: [orders, customers]\n',
        'flows/sales/entities/orders.yml': 'run_type: sometimes\nhome: { path: "${NOPE}" }\n',
      }),
    );
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/^5 problems in the configuration:/);
    for (const piece of [
      'hygge.yml at stroe: unknown key',
      'hygge.yml at options.batch_size: must be greater than 0',
      'flows/sales/flow.yml at store.compression: expected one of snappy|zstd|gzip|none, got "lz4"',
      'flows/sales/entities/orders.yml at run_type: expected one of full_drop|incremental, got "sometimes"',
      'flows/sales/entities/orders.yml at home.path: variable NOPE is not set',
    ]) {
      expect(err.message).toContain(piece);
    }
    // a flow-level problem seen by both entities is reported once
    expect(err.message.split('store.compression').length).toBe(2);
  });

  it('rejects schedules naming unknown flows or entities', async () => {
    const err = await loadError(sampleFiles({ 'hygge.yml': 'name: demo\nschedules:\n  - { name: nightly, cron: "0 0 2 * * *", flows: [sale], entities: [sales.ordrs] }\n' }));
    expect(err.message).toContain('hygge.yml at schedules[0].flows[0]: unknown flow "sale" — did you mean "sales"?');
    expect(err.message).toContain('hygge.yml at schedules[0].entities[0]: unknown entity "sales.ordrs" — did you mean "sales.orders"?');
  });
});
