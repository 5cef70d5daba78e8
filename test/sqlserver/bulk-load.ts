import { SqlError, sqlErrors } from './errors';
import { displayValue, type Row, type Table } from './catalog/table';
import type { Key } from './catalog/key-set';
import { WireFormat, WireRows } from './catalog/wire-rows';
import { valueSkipper } from './types/wire-skip';
import { coerce, NeedMoreData, readTypeInfo, valueReaderFor, WireReader, type ReadValue, type SqlType, type Value } from './types';
import { TruncationError } from './types/character';
import { TokenType } from './tokens/token-type';

/** Options INSERT BULK accepts (tedious: checkConstraints, fireTriggers, keepNulls, lockTable, order). */
export const BULK_OPTIONS = new Set(['CHECK_CONSTRAINTS', 'FIRE_TRIGGERS', 'KEEP_NULLS', 'TABLOCK', 'ORDER', 'ROWS_PER_BATCH', 'KILOBYTES_PER_BATCH', 'KEEPIDENTITY']);

/** A column of an INSERT BULK statement, resolved against the target table. */
export interface BulkColumn {
  name: string;
  type: SqlType;
  tableIndex: number;
}

/** Values of the column's exact type need no conversion (fixed-length types still get padded). */
const sameType = (wire: SqlType, column: SqlType) =>
  wire.name === column.name && wire.precision === column.precision && wire.scale === column.scale &&
  !['char', 'nchar', 'binary'].includes(column.name) &&
  (wire.length === column.length || (wire.length !== undefined && column.length !== undefined && wire.length >= 0 && (column.length === -1 || wire.length <= column.length)));

/**
 * Receives the BULK_LOAD message that follows INSERT BULK: COLMETADATA, ROW tokens, DONE.
 * Packets are parsed as they arrive (rows never wait for the whole message), and rows are
 * staged; they are added to the table atomically when the message ends, as SQL Server
 * commits a bulk load without a batch size as one transaction.
 */
export class BulkLoadReceiver {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private leftover: Buffer = Buffer.alloc(0);
  private readers: ReadValue[] | undefined;
  private targets: number[] = [];
  private coerceTypes: (SqlType | undefined)[] = [];
  private readonly staged: Row[] = [];
  /** Wire-form path (exact column types, no identity to generate): see parseEncoded. */
  private encoded: { format: WireFormat; notNull: boolean[]; keyColumns: number[]; chunks: WireRows[]; keys: Key[]; count: number } | undefined;
  private error: SqlError | undefined;
  private finished = false;
  private readonly identityIndex: number;
  private readonly keepIdentity: boolean;

  constructor(
    private readonly table: Table,
    private readonly database: string,
    private readonly columns: BulkColumn[],
    options: string[],
    /** Called after each parsed batch of rows with the total so far (fault injection). */
    private readonly onRows: (total: number) => void,
  ) {
    this.identityIndex = table.identityColumn();
    this.keepIdentity = options.includes('KEEPIDENTITY');
  }

  get rowCount(): number {
    return this.encoded ? this.encoded.count : this.staged.length;
  }

  push(chunk: Buffer, last: boolean): void {
    if (this.error || this.finished) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < 256 * 1024 && !last) return;
    const buf = this.leftover.length === 0 && this.pending.length === 1 ? this.pending[0] : Buffer.concat([this.leftover, ...this.pending]);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      const used = this.parse(buf);
      this.leftover = buf.subarray(used);
      this.onRows(this.rowCount);
    } catch (e) {
      if (!(e instanceof SqlError)) throw e;
      this.error = e;
    }
    if (last && !this.finished && !this.error) this.error = sqlErrors.protocolError('The bulk load stream ended without a DONE token.');
  }

  /** Adds the staged rows to the table (throws the first error the stream produced). */
  commit(): number {
    if (this.error) throw this.error;
    const e = this.encoded;
    if (e) {
      if (this.table.primaryKey) this.table.insertKeys(e.keys, (i) => this.displayKey(i));
      this.table.appendEncoded(e.chunks);
      return e.count;
    }
    this.table.insertRows(this.staged, this.database);
    return this.staged.length;
  }

  /** Finds the row whose key is keys[i] (only for the message of a duplicate key). */
  private displayKey(i: number): string {
    const e = this.encoded!;
    let k = i;
    for (const c of e.chunks) {
      if (k < c.count) {
        const row = c.row(k);
        return this.table.primaryKey!.columns.map((col) => displayValue(row[col])).join(', ');
      }
      k -= c.count;
    }
    return '';
  }

  private parse(buf: Buffer): number {
    const r = new WireReader(buf, 0);
    let good = 0;
    try {
      if (!this.readers) {
        this.readColMetadata(r);
        good = r.pos;
      }
      if (this.encoded) return this.parseEncoded(r, good);
      const readers = this.readers!;
      const targets = this.targets;
      const coerceTypes = this.coerceTypes;
      const n = readers.length;
      const width = this.table.columns.length;
      const columns = this.table.columns;
      while (r.pos < buf.length) {
        const token = buf[r.pos];
        if (token === TokenType.ROW) {
          r.pos++;
          const row: Row = new Array(width);
          if (n !== width) row.fill(null);
          for (let i = 0; i < n; i++) {
            const v = readers[i](r);
            const t = targets[i];
            if (t < 0) continue; // identity values without KEEPIDENTITY are ignored
            const ct = coerceTypes[i];
            row[t] = v === null || ct === undefined ? v : this.convert(v, ct, i);
          }
          for (let c = 0; c < width; c++) {
            if (c === this.identityIndex && !this.keepIdentity) row[c] = this.table.nextIdentityValue();
            else if (row[c] === null && !columns[c].nullable) throw sqlErrors.nullNotAllowed(columns[c].name, `${this.database}.${this.table.schema}.${this.table.name}`, 'INSERT');
          }
          if (this.keepIdentity && this.identityIndex >= 0) this.table.noteIdentity(row[this.identityIndex]);
          this.staged.push(row);
          good = r.pos;
        } else if (token === TokenType.DONE) {
          r.need(13);
          r.pos += 13;
          this.finished = true;
          return r.pos;
        } else {
          throw sqlErrors.protocolError(`Unexpected token 0x${token.toString(16)} in bulk load data.`);
        }
      }
    } catch (e) {
      if (e instanceof NeedMoreData) return good;
      throw e;
    }
    return good;
  }

  /**
   * The fast path: each row is only walked (value ends, NULL markers, key values) and
   * recorded as an offset into the received buffer; the table decodes it when first read.
   */
  private parseEncoded(r: WireReader, good: number): number {
    const e = this.encoded!;
    const buf = r.buf;
    const { notNull, keyColumns } = e;
    const skippers = e.format.skippers;
    const n = skippers.length;
    const starts = new Int32Array(n);
    let offsets = new Int32Array(4096);
    let count = 0;
    const keyValues: Value[] = new Array(keyColumns.length);
    const columns = this.table.columns;
    try {
      while (r.pos < buf.length) {
        const token = buf[r.pos];
        if (token === TokenType.ROW) {
          let pos = r.pos + 1;
          const rowStart = pos;
          for (let i = 0; i < n; i++) {
            starts[i] = pos;
            const end = skippers[i](buf, pos);
            if (end < 0) {
              if (notNull[i]) {
                const c = columns[this.targets[i]];
                throw sqlErrors.nullNotAllowed(c.name, `${this.database}.${this.table.schema}.${this.table.name}`, 'INSERT');
              }
              pos = ~end;
            } else pos = end;
          }
          for (let k = 0; k < keyColumns.length; k++) {
            r.pos = starts[keyColumns[k]];
            keyValues[k] = this.readers![keyColumns[k]](r);
          }
          if (keyColumns.length > 0) e.keys.push(this.table.keyOfValues(keyValues));
          if (count === offsets.length) {
            const bigger = new Int32Array(count * 2);
            bigger.set(offsets);
            offsets = bigger;
          }
          offsets[count++] = rowStart;
          r.pos = pos;
          good = pos;
        } else if (token === TokenType.DONE) {
          r.need(13);
          r.pos += 13;
          this.finished = true;
          good = r.pos;
          break;
        } else {
          throw sqlErrors.protocolError(`Unexpected token 0x${token.toString(16)} in bulk load data.`);
        }
      }
    } catch (err) {
      if (!(err instanceof NeedMoreData)) throw err;
    }
    if (count > 0) {
      // the rows keep `buf` (this batch of packets, received once) and exactly their offsets
      e.chunks.push(new WireRows(e.format, buf, offsets.slice(0, count)));
      e.count += count;
    }
    return good;
  }

  private convert(v: Value, t: SqlType, i: number): Value {
    try {
      return coerce(v, t);
    } catch (e) {
      if (e instanceof TruncationError || (e instanceof SqlError && e.number === 2628)) throw sqlErrors.bulkColumnLength(i + 1);
      throw e;
    }
  }

  private readColMetadata(r: WireReader): void {
    if (r.u8() !== TokenType.COLMETADATA) throw sqlErrors.protocolError('A bulk load must start with COLMETADATA.');
    const count = r.u16();
    if (count !== this.columns.length) throw sqlErrors.protocolError(`The bulk load sends ${count} columns, INSERT BULK declared ${this.columns.length}.`);
    const readers: ReadValue[] = [];
    const targets: number[] = [];
    const coerceTypes: (SqlType | undefined)[] = [];
    const infos: import('./types').WireTypeInfo[] = [];
    const typeInfos: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      r.u32(); // user type
      r.u16(); // flags
      const at = r.pos;
      const info = readTypeInfo(r);
      infos.push(info);
      typeInfos.push(Buffer.from(r.buf.subarray(at, r.pos)));
      const name = r.bVarChar();
      const column = this.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (!column) throw sqlErrors.invalidColumn(name);
      readers.push(valueReaderFor(info));
      const tableColumn = this.table.columns[column.tableIndex];
      targets.push(column.tableIndex === this.identityIndex && !this.keepIdentity ? -1 : column.tableIndex);
      coerceTypes.push(sameType(info.type, tableColumn.type) ? undefined : tableColumn.type);
    }
    this.readers = readers;
    this.targets = targets;
    this.coerceTypes = coerceTypes;
    // Wire form is kept when no value needs converting or generating.
    // Columns the load leaves out must accept NULL (the eager path checks this per row).
    const missingNotNull = this.table.columns.some((c, i) => !c.nullable && !targets.includes(i));
    const exact = !missingNotNull && coerceTypes.every((t) => t === undefined) && this.identityIndex < 0 && new Set(targets).size === targets.length;
    if (exact) {
      const pk = this.table.primaryKey?.columns ?? [];
      const keyColumns = pk.map((c) => targets.indexOf(c));
      if (keyColumns.every((k) => k >= 0)) {
        this.encoded = {
          format: new WireFormat(typeInfos, readers, infos.map((info) => valueSkipper(info)), targets, this.table.columns.length),
          notNull: targets.map((t) => !this.table.columns[t].nullable),
          keyColumns, chunks: [], keys: [], count: 0,
        };
      }
    }
  }
}
