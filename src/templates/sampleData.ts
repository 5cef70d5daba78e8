/**
 * The sample source tables `hygge init` writes: small, deterministic, and with a few column
 * types (integers, a bigint, a double, text, a date, a boolean), so the first run shows
 * types travelling through.
 */
import { Bool, DateDay, Float64, Int32, Int64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

/** Deterministic pseudo-random numbers in [0, 1), so every `init` writes the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const COUNTRIES = ['DK', 'SE', 'NO', 'FI', 'DE', 'NL'];
const STATUSES = ['open', 'shipped', 'delivered', 'returned'];

export function customersTable(rows: number): Table {
  const rnd = random(7);
  const ids = Array.from({ length: rows }, (_, i) => i + 1);
  return new Table({
    customer_id: vectorFromArray(ids, new Int32()),
    name: vectorFromArray(ids.map((id) => `Customer ${id}`), new Utf8()),
    country: vectorFromArray(ids.map(() => COUNTRIES[Math.floor(rnd() * COUNTRIES.length)]), new Utf8()),
    signed_up: vectorFromArray(ids.map(() => new Date(START - Math.floor(rnd() * 1000) * DAY_MS)), new DateDay()),
    active: vectorFromArray(ids.map(() => rnd() > 0.2), new Bool()),
  });
}

export function ordersTable(rows: number, customers: number): Table {
  const rnd = random(42);
  const ids = Array.from({ length: rows }, (_, i) => i + 1);
  return new Table({
    order_id: vectorFromArray(ids.map((id) => BigInt(1_000_000 + id)), new Int64()),
    customer_id: vectorFromArray(ids.map(() => 1 + Math.floor(rnd() * customers)), new Int32()),
    amount: vectorFromArray(ids.map(() => Math.round(rnd() * 100_000) / 100), new Float64()),
    status: vectorFromArray(ids.map(() => STATUSES[Math.floor(rnd() * STATUSES.length)]), new Utf8()),
    ordered_at: vectorFromArray(ids.map(() => new Date(START + Math.floor(rnd() * 365) * DAY_MS)), new DateDay()),
  });
}

/** One Parquet file's bytes for an Arrow table (snappy-compressed). */
export function parquetBytes(table: Table): Uint8Array {
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  return writeParquet(wasmTable, props);
}
