/**
 * The README's configuration reference is a working project: its hygge.yml and flow.yml
 * examples load and plan, so the reference cannot drift from the schema unnoticed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../../src/config/loadProject';
import { buildPlan } from '../../../src/plan/buildPlan';

function referenceExamples(): { projectYaml: string; flowYaml: string } {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration reference'), readme.indexOf('## CLI'));
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  return { projectYaml: blocks[0]!, flowYaml: blocks[1]! };
}

describe('README configuration reference', () => {
  it('loads and plans as written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hygge-readme-'));
    try {
      const { projectYaml, flowYaml } = referenceExamples();
      writeFileSync(join(dir, 'hygge.yml'), projectYaml);
      mkdirSync(join(dir, 'flows', 'sales'), { recursive: true });
      writeFileSync(join(dir, 'flows', 'sales', 'flow.yml'), flowYaml);
      const project = await loadProject(dir, { env: {} });
      const plan = buildPlan(project);
      expect(plan.jobs.map((j) => j.id)).toEqual(['sales.orders', 'sales.customers', 'sales.order_lines']);
      expect(plan.caps).toEqual({ warehouse: 5 });
      expect(plan.jobs[0]).toMatchObject({ run_type: 'incremental', watermark: { column: 'updated_at' } });
      expect(plan.jobs[2]!.store).toMatchObject({ path: 'sales/order_lines', rows_per_file: 5_000_000 });
      expect(project.schedules).toEqual([expect.objectContaining({ name: 'nightly', flows: ['sales'] })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
