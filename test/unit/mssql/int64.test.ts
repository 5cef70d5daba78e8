/** The row decoder's exact Int64 writes (no BigInt per value), against BigInt arithmetic. */
import { copyInt64, setInt64MulAdd } from '../../../src/homes/mssql/tds/int64';

describe('setInt64MulAdd', () => {
  const cases: [number, number, number][] = [
    [0, 1, 0], [1, 1_000_000, 999_900], [-1, 1_000_000, 0], [-1, 1_000_000, 100],
    [9_223_372_036_854, 1_000_000, 775_800], [-9_223_372_036_854, 1_000_000, 0],
    [253_402_300_799_999, 1000, 999], [-62_135_596_800_000, 1000, 0], [863_999_999_999, 100, 0],
    [2 ** 52 - 1, 1, 2 ** 40 - 1], [-(2 ** 52), 1, 0], [123_456_789, 1 << 20, 17],
  ];
  it.each(cases)('%d × %d + %d', (a, m, b) => {
    const out = new BigInt64Array(2);
    setInt64MulAdd(new Int32Array(out.buffer), 1, a, m, b);
    expect(out[1]).toBe(BigInt.asIntN(64, BigInt(a) * BigInt(m) + BigInt(b)));
    expect(out[0]).toBe(0n);
  });
});

describe('copyInt64', () => {
  it.each([0n, 1n, -1n, 9_223_372_036_854_775_807n, -9_223_372_036_854_775_808n, 0x1234_5678_9abc_def0n])('%s', (v) => {
    const wire = Buffer.alloc(11);
    wire.writeBigInt64LE(v, 3);
    const out = new BigInt64Array(1);
    copyInt64(new Int32Array(out.buffer), 0, wire, 3);
    expect(out[0]).toBe(v);
  });
});
