/**
 * The engine end to end on local disk: a YAML project through loadProject → buildPlan →
 * runPlanLocally, on entity threads and in this thread.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/config/loadProject';
import { runPlanLocally } from '../../../src/engine/localRunner';
import { buildPlan } from '../../../src/plan/buildPlan';
import { LocalDirStore } from '../../../src/storage/localDirStore';
import { readBack, simpleBatch, writeParquetObject } from '../parquet/parquetFixtures';

let dir: string;
let objects: LocalDirStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hygge-engine-'));
  objects = new LocalDirStore(dir);
  writeFileSync(join(dir, 'hygge.yml'), 'name: engine_test\noptions:\n  state: .hygge/state\n  retry: { attempts: 1 }\n');
  mkdirSync(join(dir, 'flows', 'copy'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function flow(yaml: string): void {
  writeFileSync(join(dir, 'flows', 'copy', 'flow.yml'), yaml);
}

async function go(filter: { run_type?: 'incremental' | 'full_drop' } = {}, workers?: number) {
  const project = await loadProject(dir);
  const plan = buildPlan(project, filter);
  return { plan, summaries: await runPlanLocally(plan, project, {}, workers === undefined ? {} : { workers }) };
}

describe('local runs', () => {
  it('incremental Parquet runs read only files added since the last successful run (entity threads)', async () => {
    flow('home: { type: parquet, path: in }\nstore: { type: parquet, path: out }\nrun_type: incremental\nentities: [events]\n');
    await writeParquetObject(objects, 'in/events/2026-01.parquet', [simpleBatch(100, 0)]);
    await writeParquetObject(objects, 'in/events/2026-02.parquet', [simpleBatch(50, 100)]);

    const first = await go({}, 2);
    expect(first.summaries).toEqual([expect.objectContaining({ status: 'succeeded', rows: 150, watermark: 'in/events/2026-02.parquet' })]);

    await writeParquetObject(objects, 'in/events/2026-03.parquet', [simpleBatch(25, 150)]);
    const second = await go({}, 2);
    expect(second.summaries).toEqual([expect.objectContaining({ status: 'succeeded', rows: 25, watermark: 'in/events/2026-03.parquet' })]);

    const third = await go({}, 2);
    expect(third.summaries).toEqual([expect.objectContaining({ status: 'succeeded', rows: 0 })]);

    const { rows } = await readBack(objects, 'out/events');
    expect(rows.map((r) => (r as { id: number }).id).sort((a, b) => a - b)).toEqual(Array.from({ length: 175 }, (_, i) => i));
    const watermark = JSON.parse(readFileSync(join(dir, '.hygge/state/watermarks/copy/events.json'), 'utf8'));
    expect(watermark).toMatchObject({ watermark: 'in/events/2026-03.parquet', runId: second.plan.runId });
  });

  it('a failing entity does not stop the others, and every outcome is journalled (this thread)', async () => {
    flow('home: { type: parquet, path: in }\nstore: { type: parquet, path: out }\nentities: [good, missing, also_good]\n');
    await writeParquetObject(objects, 'in/good/a.parquet', [simpleBatch(10)]);
    await writeParquetObject(objects, 'in/also_good/a.parquet', [simpleBatch(20)]);

    const { plan, summaries } = await go({}, 0);
    expect(summaries.map((s) => [s.id, s.status, s.rows])).toEqual([
      ['copy.good', 'succeeded', 10],
      ['copy.missing', 'failed', 0],
      ['copy.also_good', 'succeeded', 20],
    ]);
    expect(summaries[1]!.error).toMatchObject({ code: 'SOURCE_NOT_FOUND', context: { flow: 'copy', entity: 'missing' } });
    const journal = JSON.parse(readFileSync(join(dir, `.hygge/state/runs/${plan.runId}/copy/missing.json`), 'utf8'));
    expect(journal).toMatchObject({ runId: plan.runId, status: 'failed', error: { code: 'SOURCE_NOT_FOUND' } });
  });

  it('refuses a watermark column on a Parquet home, saying how incremental Parquet works', async () => {
    flow('home: { type: parquet, path: in }\nstore: { type: parquet, path: out }\nrun_type: incremental\nentities:\n  - name: events\n    watermark: { column: id }\n');
    await expect(go()).rejects.toThrow('a Parquet home reads new files incrementally');
  });
});
