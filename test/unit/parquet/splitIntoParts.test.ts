import type { RecordBatch } from 'apache-arrow';
import { splitIntoParts } from '../../../src/parquet/splitIntoParts';
import { simpleBatch } from '../../integration/parquet/parquetFixtures';

async function parts(batches: RecordBatch[], rowsPerPart: number): Promise<number[][]> {
  async function* source() {
    yield* batches;
  }
  const out: number[][] = [];
  for await (const part of splitIntoParts(source(), rowsPerPart)) {
    const sizes: number[] = [];
    for await (const b of part) sizes.push(b.numRows);
    out.push(sizes);
  }
  return out;
}

describe('splitIntoParts', () => {
  it('cuts batches at the part boundary', async () => {
    expect(await parts([simpleBatch(5), simpleBatch(5)], 4)).toEqual([[4], [1, 3], [2]]);
  });
  it('does not start an empty part after an exact fit', async () => {
    expect(await parts([simpleBatch(4), simpleBatch(4)], 4)).toEqual([[4], [4]]);
  });
  it('skips zero-row batches between rows', async () => {
    expect(await parts([simpleBatch(0), simpleBatch(2), simpleBatch(0)], 10)).toEqual([[2]]);
  });
  it('gives one schema-only part when there are no rows at all', async () => {
    expect(await parts([simpleBatch(0), simpleBatch(0)], 10)).toEqual([[0]]);
  });
  it('gives nothing when there are no batches', async () => {
    expect(await parts([], 10)).toEqual([]);
  });
});
