/**
 * SQL Server home and store through the real mssql/tedious driver against the TDS stand-in
 * (test/sqlserver): write strategies, dropped connections, transient errors, bad input, names.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as arrow from 'apache-arrow';
import type { ProjectConfig } from '../../../src/config/project';
import { MssqlConnectionSchema, MssqlHomeSchema, MssqlStoreSchema, OptionsSchema } from '../../../src/config/schema';
import { RunResources } from '../../../src/engine/runResources';
import type { EntityContext } from '../../../src/homes/home';
import { createMssqlHome } from '../../../src/homes/mssqlHome';
import type { EntityJob } from '../../../src/plan/job';
import { settledSessions } from './settle';
import { quoteIdentifier } from '../../../src/sql/identifier';
import { createMssqlStore } from '../../../src/stores/mssqlStore';

const standInPath = path.join(__dirname, '../../sqlserver/index.ts');
const haveStandIn = existsSync(standInPath);
const maybe = haveStandIn ? describe : describe.skip;

type StandIn = {
  host: string;
  port: number;
  counters: { currentSessions: number; peakSessions: number; connectionsOpened: number };
  faults: { dropConnectionAfterRows(n: number, of?: 'result' | 'bulk'): void; failNextStatements(e: { number: number; count?: number; match?: RegExp }): void };
  close(): Promise<void>;
};

maybe('SQL Server home and store (stand-in)', () => {
  let server: StandIn;
  let project: ProjectConfig;
  const restoreEnv = { ...process.env };

  beforeAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startSqlServer } = require(standInPath) as { startSqlServer(o?: object): Promise<StandIn> };
    server = await startSqlServer({ encryption: 'off' });
    process.env.SQL_USER = 'sa';
    process.env.SQL_PASSWORD = 'Hygge-Passw0rd!';
    project = {
      dir: '/tmp',
      name: 'test',
      options: OptionsSchema.parse({ retry: { attempts: 3, initial_delay_ms: 10, max_delay_ms: 50 } }),
      connections: {
        db: MssqlConnectionSchema.parse({ type: 'mssql', server: server.host, port: server.port, database: 'hygge', auth: 'sql', encrypt: false, pool_size: 3 }),
      },
      schedules: [],
      flows: {},
    };
  });
  afterAll(async () => {
    process.env = restoreEnv;
    await server?.close();
  });

  const ctx = (entity: string, previousWatermark?: string): EntityContext => ({ runId: 'run20240101x', flow: 'f', entity, ...(previousWatermark ? { previousWatermark } : {}) });

  function job(entity: string, store: object, home: object = { type: 'mssql', connection: 'db', table: `[dbo].${quoteIdentifier(entity)}` }): EntityJob {
    return {
      id: `f.${entity}`,
      flow: 'f',
      entity,
      home: MssqlHomeSchema.parse(home),
      store: MssqlStoreSchema.parse({ type: 'mssql', connection: 'db', table: `[dbo].${quoteIdentifier(entity)}`, ...store }),
      run_type: 'full_drop',
      connections: ['db'],
    };
  }

  function sampleBatch(n: number, offset = 0): arrow.RecordBatch {
    const ids = BigInt64Array.from({ length: n }, (_, i) => BigInt(i + offset) + 9007199254740000n);
    const table = arrow.tableFromArrays({ id: ids, name: Array.from({ length: n }, (_, i) => `name ${i + offset} ✓`) });
    return table.batches[0]!;
  }

  async function* batches(...bs: arrow.RecordBatch[]) {
    yield* bs;
  }

  async function readAll(resources: RunResources, j: EntityJob): Promise<arrow.Table> {
    const home = createMssqlHome(j.home as never, j, resources, project.options);
    const out: arrow.RecordBatch[] = [];
    for await (const b of home.read(ctx(j.entity))) out.push(b);
    return new arrow.Table(out);
  }

  it('writes with replace and reads every value back exactly', async () => {
    const resources = new RunResources(project);
    try {
      const j = job('orders', { write: 'replace' });
      const store = createMssqlStore(j.store as never, j, resources, project.options);
      const staged = await store.stage(batches(sampleBatch(1000), sampleBatch(500, 1000)), ctx('orders'));
      await staged.publish();
      expect(staged.rows).toBe(1500);
      const back = await readAll(resources, j);
      expect(back.numRows).toBe(1500);
      expect(back.getChild('id')!.get(1499)).toBe(9007199254740000n + 1499n);
      expect(back.getChild('name')!.get(3)).toBe('name 3 ✓');
      expect(back.schema.fields[0]!.metadata.get('hygge.sql_type')).toBe('bigint');
    } finally {
      await resources.close();
    }
    expect(await settledSessions(server.counters)).toBe(0);
  });

  it('a connection dropped mid-load leaves the target as it was, and a rerun completes', async () => {
    for (const write of ['append', 'replace', 'truncate_insert', 'merge'] as const) {
      const entity = `drop_${write}`;
      const resources = new RunResources(project);
      try {
        const j = job(entity, { write, batch_size: 100, ...(write === 'merge' ? { key_columns: ['id'] } : {}) });
        const first = createMssqlStore(j.store as never, j, resources, project.options);
        await (await first.stage(batches(sampleBatch(300)), ctx(entity))).publish();
        server.faults.dropConnectionAfterRows(50, 'bulk');
        const store = createMssqlStore(j.store as never, j, resources, project.options);
        await expect(store.stage(batches(sampleBatch(300, 300)), ctx(entity))).rejects.toMatchObject({ retryable: true });
        expect((await readAll(resources, j)).numRows).toBe(300);
        const again = await store.stage(batches(sampleBatch(300, 300)), ctx(entity));
        await again.publish();
        const expected = write === 'append' || write === 'merge' ? 600 : 300;
        expect((await readAll(resources, j)).numRows).toBe(expected);
      } finally {
        await resources.close();
      }
    }
  });

  it('retries a bulk-load batch refused with a transient error, without duplicates', async () => {
    const resources = new RunResources(project);
    try {
      const j = job('throttled', { write: 'replace', batch_size: 100 });
      server.faults.failNextStatements({ number: 49918, count: 1, match: /insert bulk/i });
      const store = createMssqlStore(j.store as never, j, resources, project.options);
      const staged = await store.stage(batches(sampleBatch(250)), ctx('throttled'));
      await staged.publish();
      const back = await readAll(resources, j);
      expect(back.numRows).toBe(250);
      expect(new Set(Array.from(back.getChild('id')!.toArray() as BigInt64Array)).size).toBe(250);
    } finally {
      await resources.close();
    }
  });

  it('a missing table is SOURCE_NOT_FOUND naming connection, entity and table', async () => {
    const resources = new RunResources(project);
    try {
      const j = job('nope', { write: 'replace' });
      await expect(readAll(resources, j)).rejects.toMatchObject({
        code: 'SOURCE_NOT_FOUND',
        context: expect.objectContaining({ connection: 'db', entity: 'nope', sqlNumber: 208 }),
      });
    } finally {
      await resources.close();
    }
  });

  it('append with an incompatible column type fails with SCHEMA_MISMATCH before touching the target', async () => {
    const resources = new RunResources(project);
    try {
      const j = job('typed', { write: 'replace' });
      await (await createMssqlStore(j.store as never, j, resources, project.options).stage(batches(sampleBatch(10)), ctx('typed'))).publish();
      const bad = arrow.tableFromArrays({ id: ['not a number'], name: ['x'] }).batches[0]!;
      const appendJob = job('typed', { write: 'append' });
      const store = createMssqlStore(appendJob.store as never, appendJob, resources, project.options);
      await expect(store.stage(batches(bad), ctx('typed'))).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH', message: expect.stringContaining('"id"') });
      expect((await readAll(resources, j)).numRows).toBe(10);
    } finally {
      await resources.close();
    }
  });

  // append covers CREATE, INSERT BULK, INSERT…SELECT and DROP; replace also sp_rename, whose
  // @objname must be parsed like PARSENAME for such names
  for (const write of ['append', 'replace'] as const) {
    it(`names with brackets and quotes cannot inject SQL (${write})`, async () => {
      const resources = new RunResources(project);
      try {
        const entity = `x]; DROP TABLE [dbo].[orders]; --'${write}`;
        const j = job(entity, { write });
        const t = arrow.tableFromArrays({ ['we]ird"col']: Int32Array.from([1, 2]) });
        await (await createMssqlStore(j.store as never, j, resources, project.options).stage(batches(t.batches[0]!), ctx(entity))).publish();
        const back = await readAll(resources, j);
        expect(back.schema.fields[0]!.name).toBe('we]ird"col');
        expect(back.numRows).toBe(2);
        expect((await readAll(resources, job('orders', {}))).numRows).toBe(1500);
      } finally {
        await resources.close();
      }
    });
  }
});

test('the stand-in is present (SQL tests run only when it is)', () => {
  if (!haveStandIn) console.warn('test/sqlserver/index.ts not found: SQL Server integration tests skipped');
});
