import type { Row } from '../catalog/row-snapshot';
import { WireRows, type WireFormat } from '../catalog/wire-rows';
import type { TdsWriter } from '../protocol/writer';
import type { RowEncoder } from '../tokens/row';
import { familyOf, type Value } from '../types';
import type { ResultSet } from './results';

/** For rows of one bulk load: which result columns are copied as received, and scratch space. */
interface WirePlan {
  /** copy[i] = the sent column result column i is copied from, or -1 */
  copy: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * Reads a result set's rows once, in order: as values (INSERT … SELECT, derived tables) or
 * straight into ROW tokens. Rows still in the wire form they were bulk-loaded in are not
 * decoded to be sent: a value whose TYPE_INFO, as the client sent it, is the result column's
 * is copied as received, and only the other columns are decoded.
 */
export class ResultRowReader {
  /** -1 while in the snapshot's stored rows, then the pending chunk being read */
  private part = -1;
  private inPart = 0;
  /** the result row read next */
  private row = 0;
  /** set when the current source row is in wire form */
  private wire: WireRows | undefined;
  private offset = 0;
  private readonly values: Value[];
  private readonly inOrder: number[];
  private readonly plans = new Map<WireFormat, WirePlan>();
  private columnTypeInfos: Buffer[] | undefined;

  constructor(private readonly rs: ResultSet) {
    this.values = new Array<Value>(rs.columns.length).fill(null);
    this.inOrder = rs.columns.map((_, i) => i);
  }

  /** The next row's values, in column order (a fresh array). */
  next(): Value[] {
    const r = this.row++;
    const source = this.source() ?? this.wire!.format.decode(this.wire!.buf, this.offset);
    const { index, computed } = this.rs;
    return index.map((c, i) => (c >= 0 ? source[c] : computed![i][r]));
  }

  /** Writes the next row as a ROW / NBCROW token. */
  write(w: TdsWriter, encoder: RowEncoder): void {
    const r = this.row++;
    const source = this.source();
    const { index, computed } = this.rs;
    const values = this.values;
    if (source) {
      if (!computed) return encoder.write(w, source, index);
      for (let i = 0; i < index.length; i++) values[i] = index[i] >= 0 ? source[index[i]] : computed[i][r];
      return encoder.write(w, values, this.inOrder);
    }
    const { format, buf } = this.wire!;
    const plan = this.planFor(format);
    const { copy, starts, ends } = plan;
    format.locate(buf, this.offset, starts, ends);
    for (let i = 0; i < index.length; i++) {
      if (copy[i] >= 0) continue;
      const c = index[i];
      if (c < 0) values[i] = computed![i][r];
      else {
        const k = format.sentColumnOf[c];
        values[i] = k < 0 ? null : format.read(k, buf, starts[k]);
      }
    }
    encoder.writeWire(w, values, copy, buf, starts, ends);
  }

  /** Steps to the next source row: returns it, or undefined when it is in wire form (`wire`, `offset`). */
  private source(): Row | undefined {
    const rows = this.rs.rows;
    if (this.part < 0) {
      if (this.inPart < rows.storedCount) return rows.stored[this.inPart++];
      this.part = 0;
      this.inPart = 0;
    }
    let chunk = rows.pending[this.part];
    while (this.inPart >= chunk.count) {
      chunk = rows.pending[++this.part];
      this.inPart = 0;
    }
    const i = this.inPart++;
    if (chunk instanceof WireRows) {
      this.wire = chunk;
      this.offset = chunk.offsets[i];
      return undefined;
    }
    return chunk.row(i);
  }

  private planFor(format: WireFormat): WirePlan {
    let plan = this.plans.get(format);
    if (plan) return plan;
    const columns = this.rs.columns;
    this.columnTypeInfos ??= columns.map((c) => familyOf(c.type).typeInfo(c.type, c.nullable));
    const infos = this.columnTypeInfos;
    const copy = new Int32Array(columns.length).fill(-1);
    this.rs.index.forEach((c, i) => {
      const k = c >= 0 ? format.sentColumnOf[c] : -1;
      if (k >= 0 && format.typeInfos[k].equals(infos[i])) copy[i] = k;
    });
    const n = format.targets.length;
    plan = { copy, starts: new Int32Array(n), ends: new Int32Array(n) };
    this.plans.set(format, plan);
    return plan;
  }
}

/** All rows of a result set as values. */
export function readResult(rs: ResultSet): Value[][] {
  const reader = new ResultRowReader(rs);
  const out: Value[][] = new Array(rs.rows.count);
  for (let i = 0; i < out.length; i++) out[i] = reader.next();
  return out;
}
