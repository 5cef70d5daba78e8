import type { EntitySummary } from '../../../src/engine/summary';
import type { EntityJob, Plan } from '../../../src/plan/job';
import { PlainProgress } from '../../../src/cli/output/plainProgress';
import { planText } from '../../../src/cli/output/planText';
import { summaryText } from '../../../src/cli/output/summaryText';
import { parseVars } from '../../../src/cli/parseArgs';
import { HyggeError } from '../../../src/errors';

const job = (entity: string): EntityJob => ({
  id: `sales.${entity}`,
  flow: 'sales',
  entity,
  home: { type: 'mssql', connection: 'warehouse', table: `[dbo].[${entity}]`, batch_size: 10, columns: undefined } as EntityJob['home'],
  store: { type: 'parquet', path: `raw/${entity}`, compression: 'zstd' },
  run_type: 'full_drop',
  connections: ['warehouse'],
});

const summary = (entity: string, extra: Partial<EntitySummary> = {}): EntitySummary => ({
  id: `sales.${entity}`,
  flow: 'sales',
  entity,
  status: 'succeeded',
  rows: 12_345,
  bytes: 1,
  parts: 1,
  seconds: 2,
  ...extra,
});

describe('CLI output', () => {
  it('prints the plan with home → store, caps and concurrency', () => {
    const plan: Plan = { runId: 'r1', project: 'demo', jobs: [job('orders')], caps: { warehouse: 4 }, concurrency: 2 };
    const text = planText(plan);
    expect(text).toContain('1 entity, at most 2 at once');
    expect(text).toMatch(/sales\.orders\s+full_drop\s+mssql warehouse \[dbo\]\.\[orders\] → parquet raw\/orders \(zstd\)/);
    expect(text).toContain('warehouse: 4');
  });

  it('summarises entities in a table and describes failures without stack traces', () => {
    const error = new HyggeError('SOURCE_NOT_FOUND', 'no such table', { hint: 'check the table name', context: { flow: 'sales', entity: 'lines', connection: 'warehouse' } }).toJSON();
    const text = summaryText([summary('orders'), summary('lines', { status: 'failed', rows: 0, error })]);
    expect(text).toMatch(/sales\.orders\s+succeeded\s+12,345\s+2\.00\s+6,173/);
    expect(text).toMatch(/sales\.lines\s+failed\s+0/);
    expect(text).toContain('1 succeeded, 1 failed.');
    expect(text).toContain('✗ sales.lines\n  connection warehouse: no such table\n    → check the table name');
  });

  it('prints plain progress lines, throttled to one every interval', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = new PlainProgress((l) => lines.push(l), 5_000, () => now);
    const orders = job('orders');
    progress.onStart(orders);
    now = 1_000;
    progress.onProgress(orders, { rows: 100 });
    now = 5_000;
    progress.onProgress(orders, { rows: 5_000 });
    now = 6_000;
    progress.onProgress(orders, { rows: 6_000 });
    progress.onFinish(summary('orders', { rows: 10_000, seconds: 8 }));
    expect(lines).toEqual([
      '▶ sales.orders started',
      '… sales.orders 5,000 rows (1,000 rows/s)',
      '✓ sales.orders succeeded: 10,000 rows in 8.00 s (1,250 rows/s)',
    ]);
  });

  it('parses --var key=value, keeping = in values', () => {
    expect(parseVars(['A=1', 'B=x=y', 'C='])).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(() => parseVars(['nope'])).toThrow('--var needs key=value');
  });
});
