import { loadProject } from '../../../src/config/loadProject';
import { buildPlan } from '../../../src/plan/buildPlan';
import { sampleFiles, writeProject } from './writeProject';

describe('options in hygge.yml reach the jobs', () => {
  it('fills batch_size, compression, row_group_size and rows_per_file where the home/store does not set them', async () => {
    const dir = writeProject(
      sampleFiles({
        'hygge.yml': 'name: demo\noptions:\n  batch_size: 1234\n  compression: gzip\n  row_group_size: 500\n  rows_per_file: 9000\n  concurrency: 3\n',
        'flows/sales/entities/customers.yml': 'home: { batch_size: 10 }\nstore: { compression: none }\n',
      }),
    );
    const plan = buildPlan(await loadProject(dir, { env: {} }), {});
    const orders = plan.jobs.find((j) => j.entity === 'orders')!;
    const customers = plan.jobs.find((j) => j.entity === 'customers')!;
    expect(orders.home).toMatchObject({ batch_size: 1234 });
    expect(orders.store).toMatchObject({ compression: 'gzip', row_group_size: 500, rows_per_file: 9000 });
    expect(customers.home).toMatchObject({ batch_size: 10 });
    expect(customers.store).toMatchObject({ compression: 'none', row_group_size: 500 });
    expect(plan.concurrency).toBe(3);
  });
});
