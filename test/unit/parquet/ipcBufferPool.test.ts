/**
 * IpcBufferPool writes the same IPC stream apache-arrow's tableToIPC writes (so parquet-wasm
 * reads it the same), into buffers that are reused once given back.
 */
import { Table, makeData, RecordBatch, Schema, Field, Int32, Utf8, Struct, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { IpcBufferPool } from '../../../src/parquet/ipcBufferPool';

function batchOf(n: number, offset = 0): RecordBatch {
  const fields = [new Field('id', new Int32(), true), new Field('name', new Utf8(), true)];
  const ids = vectorFromArray(Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : offset + i)), new Int32());
  const names = vectorFromArray(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `name ${offset + i}`)), new Utf8());
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children: [ids.data[0]!, names.data[0]!] }));
}

test('the bytes are tableToIPC’s, sliced batches included', () => {
  const pool = new IpcBufferPool(2);
  for (const batch of [batchOf(1000), batchOf(1000).slice(3, 700), batchOf(0)]) {
    const { buffer, length } = pool.write(batch);
    const bytes = new Uint8Array(buffer, 0, length);
    expect(Buffer.from(bytes).equals(Buffer.from(tableToIPC(new Table([batch]), 'stream')))).toBe(true);
    expect(tableFromIPC(bytes).toArray().map((r) => r.toJSON())).toEqual(new Table([batch]).toArray().map((r) => r.toJSON()));
    pool.giveBack(buffer);
  }
});

test('a given-back buffer carries the next batch that fits; a bigger batch gets a new one', () => {
  const pool = new IpcBufferPool(2);
  const first = pool.write(batchOf(1000));
  pool.giveBack(first.buffer);
  const second = pool.write(batchOf(900, 5));
  expect(second.buffer).toBe(first.buffer);
  pool.giveBack(second.buffer);
  const bigger = pool.write(batchOf(5000));
  expect(bigger.buffer).not.toBe(first.buffer);
  expect(bigger.buffer.byteLength).toBeGreaterThanOrEqual(bigger.length);
  // a transferred-away (detached) buffer is not kept
  const detached = structuredClone(bigger.buffer, { transfer: [bigger.buffer] }) && bigger.buffer;
  pool.giveBack(detached);
  expect(pool.write(batchOf(10)).buffer.byteLength).toBeGreaterThan(0);
});
