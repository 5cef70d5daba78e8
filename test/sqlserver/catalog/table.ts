import { SqlError, sqlErrors } from '../errors';
import { coerce, Decimal, formatTemporal, Temporal, type SqlType, type Value } from '../types';
import { TruncationError } from '../types/character';
import { KeySet, type Key } from './key-set';
import { QueuedRows, RowSnapshot, type PendingRows, type Row } from './row-snapshot';

export type { PendingRows, Row };

export interface Identity {
  seed: bigint;
  increment: bigint;
}

export interface Column {
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: Identity;
  columnId: number;
}

export interface PrimaryKey {
  name: string;
  objectId: number;
  columns: number[];
}

/** Saved table state for transaction rollback. */
export interface TableState {
  name: string;
  schema: string;
  columns: Column[];
  rows: RowSnapshot;
  primaryKey?: PrimaryKey;
  identityCurrent: bigint | null;
}

/**
 * Key used to detect duplicate primary keys: the collation is case-insensitive and ignores
 * trailing blanks, so strings are folded; decimals/temporals compare by value.
 */
export function keyPart(v: Value): string {
  if (typeof v === 'string') return 's' + v.replace(/ +$/, '').toUpperCase();
  if (v instanceof Decimal) return 'd' + v.toString();
  if (typeof v === 'number' || typeof v === 'bigint') return 'n' + String(v);
  if (v instanceof Temporal) return `t${v.days}:${v.ticks}`;
  if (Buffer.isBuffer(v)) return 'b' + v.toString('hex');
  return 'o' + String(v);
}

/** Single-column keys: numbers stay numbers (the fast path of the key set). */
const singleKey = (v: Value): Key => (typeof v === 'number' || typeof v === 'bigint' ? v : keyPart(v));

/** How a value is shown in SQL Server messages (duplicate key, truncation). */
export function displayValue(v: Value): string {
  if (v === null) return '<NULL>';
  if (v instanceof Temporal) return formatTemporal(v);
  if (Buffer.isBuffer(v)) return '0x' + v.toString('hex').toUpperCase();
  return String(v);
}

export class Table {
  private stored: Row[] = [];
  private encoded: PendingRows[] = [];
  private encodedCount = 0;
  primaryKey?: PrimaryKey;
  /** Primary-key values present. Rebuilt after restores and bulk replacements. */
  private pkIndex = new KeySet();
  identityCurrent: bigint | null = null;
  readonly createDate = new Date();
  modifyDate = new Date();

  constructor(
    readonly objectId: number,
    public schema: string,
    public name: string,
    public columns: Column[],
  ) {}

  /**
   * The rows as values (inspection API). Bulk-loaded rows still in wire form are decoded into
   * a fresh array on every call and never kept: statements read through snapshot().
   */
  get rows(): readonly Row[] {
    return this.snapshot().toArray();
  }

  /** The rows as they are now; see RowSnapshot (copies no rows, decodes nothing). */
  snapshot(): RowSnapshot {
    return new RowSnapshot(this.stored, this.stored.length, this.encoded.slice());
  }

  /** Number of rows, without decoding bulk-loaded ones. */
  get rowCount(): number {
    return this.stored.length + this.encodedCount;
  }

  /** Rows kept as bulk-loaded (in wire form, or plain rows queued behind those): decoded only as read. */
  get pendingRowCount(): number {
    return this.encodedCount;
  }

  private setRows(stored: Row[], pending: readonly PendingRows[] = []): void {
    this.stored = stored;
    this.encoded = pending.slice();
    this.encodedCount = 0;
    for (const c of pending) this.encodedCount += c.count;
  }

  /** Appends validated bulk-loaded rows in wire form (their keys went in through insertKeys). */
  appendEncoded(chunks: readonly PendingRows[]): void {
    for (const c of chunks) {
      this.encoded.push(c);
      this.encodedCount += c.count;
    }
    this.modifyDate = new Date();
  }

  /** The index key of a row given only its primary-key values, in key order. */
  keyOfValues(values: Value[]): Key {
    if (values.length === 1) return singleKey(values[0]);
    let key = '';
    for (const v of values) key += keyPart(v) + '\u0000';
    return key;
  }

  /** Adds primary-key values atomically; `display(i)` shows key i in the 2627 message. */
  insertKeys(keys: Key[], display: (i: number) => string): void {
    const index = this.pkIndex;
    let i = 0;
    try {
      for (; i < keys.length; i++) {
        if (index.has(keys[i])) throw sqlErrors.primaryKeyViolation(this.primaryKey!.name, `${this.schema}.${this.name}`, display(i));
        index.add(keys[i]);
      }
    } catch (e) {
      for (let j = 0; j < i; j++) index.delete(keys[j]);
      throw e;
    }
  }

  qualifiedName(): string {
    return `${this.schema}.${this.name}`;
  }

  columnIndex(name: string): number {
    const lower = name.toLowerCase();
    return this.columns.findIndex((c) => c.name.toLowerCase() === lower);
  }

  identityColumn(): number {
    return this.columns.findIndex((c) => c.identity !== undefined);
  }

  /** Index key for a row; single int keys use the number itself (fast path for bulk loads). */
  private keyOf(row: Row): Key {
    const cols = this.primaryKey!.columns;
    return cols.length === 1 ? singleKey(row[cols[0]]) : this.keyOfValues(cols.map((c) => row[c]));
  }

  private duplicate(row: Row): SqlError {
    const pk = this.primaryKey!;
    return sqlErrors.primaryKeyViolation(pk.name, `${this.schema}.${this.name}`, pk.columns.map((c) => displayValue(row[c])).join(', '));
  }

  /**
   * Converts input values to a stored row: coercion to column types, NULL checks,
   * identity generation. `explicitIdentity` allows a value in the identity column.
   */
  buildRow(values: (Value | undefined)[], database: string, verb: 'INSERT' | 'UPDATE' | 'MERGE', explicitIdentity = false): Row {
    const row: Row = new Array(this.columns.length);
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i];
      let v = values[i];
      if (c.identity && !explicitIdentity) {
        if (v !== undefined) throw sqlErrors.identityInsert(this.name);
        v = this.nextIdentity(c);
      }
      row[i] = this.coerceColumn(i, v ?? null, database, verb);
    }
    return row;
  }

  coerceColumn(i: number, v: Value, database: string, verb: 'INSERT' | 'UPDATE' | 'MERGE'): Value {
    const c = this.columns[i];
    if (v === null) {
      if (!c.nullable) throw sqlErrors.nullNotAllowed(c.name, `${database}.${this.schema}.${this.name}`, verb);
      return null;
    }
    try {
      return coerce(v, c.type);
    } catch (e) {
      if (e instanceof TruncationError) throw sqlErrors.truncated(`${database}.${this.schema}.${this.name}`, c.name, e.value);
      throw e;
    }
  }

  /** Draws the next identity value (bulk loads without KEEPIDENTITY). */
  nextIdentityValue(): Value {
    return this.nextIdentity(this.columns[this.identityColumn()]);
  }

  private nextIdentity(c: Column): Value {
    const id = c.identity!;
    this.identityCurrent = this.identityCurrent === null ? id.seed : this.identityCurrent + id.increment;
    return c.type.name === 'bigint' ? this.identityCurrent : c.type.name === 'decimal' || c.type.name === 'numeric' ? new Decimal(this.identityCurrent, 0) : Number(this.identityCurrent);
  }

  /** Notes an explicitly inserted identity value (IDENTITY_INSERT / bulk KEEPIDENTITY). */
  noteIdentity(v: Value): void {
    if (v === null) return;
    const n = v instanceof Decimal ? v.unscaled : BigInt(v as number | bigint);
    if (this.identityCurrent === null || n > this.identityCurrent) this.identityCurrent = n;
  }

  /** Appends rows atomically: keys go straight into the index and are taken out again if a
   * duplicate turns up, so a failed insert leaves the table as it was. */
  insertRows(rows: Row[], database: string): void {
    if (this.primaryKey) {
      const index = this.pkIndex;
      let i = 0;
      try {
        for (; i < rows.length; i++) {
          const key = this.keyOf(rows[i]);
          if (index.has(key)) throw this.duplicate(rows[i]);
          index.add(key);
        }
      } catch (e) {
        for (let j = 0; j < i; j++) index.delete(this.keyOf(rows[j]));
        throw e;
      }
    }
    if (this.encoded.length > 0) {
      // Behind rows still pending decoding: queue them rather than decode everything now.
      this.appendEncoded([new QueuedRows(rows.slice())]);
      return;
    }
    const target = this.stored;
    for (let i = 0; i < rows.length; i++) target.push(rows[i]);
    this.modifyDate = new Date();
  }

  /** Replaces the whole row set (UPDATE/DELETE/MERGE results), enforcing the primary key. */
  replaceRows(rows: Row[], database: string): void {
    if (this.primaryKey) {
      const index = new KeySet();
      for (const row of rows) {
        const key = this.keyOf(row);
        if (index.has(key)) throw this.duplicate(row);
        index.add(key);
      }
      this.pkIndex = index;
    }
    this.setRows(rows);
    this.modifyDate = new Date();
  }

  private rebuildIndex(): void {
    const index = new KeySet();
    this.pkIndex = index;
    if (this.primaryKey) this.snapshot().forEachColumns(this.primaryKey.columns, (row) => index.add(this.keyOf(row)));
  }

  /** The state to restore on rollback: a snapshot shares the rows (bulk-loaded ones stay in wire form). */
  saveState(): TableState {
    return {
      name: this.name, schema: this.schema, columns: this.columns.map((c) => ({ ...c })), rows: this.snapshot(),
      primaryKey: this.primaryKey, identityCurrent: this.identityCurrent,
    };
  }

  restoreState(s: TableState): void {
    this.name = s.name;
    this.schema = s.schema;
    this.columns = s.columns;
    // a copy: the snapshot's array may have grown since (and other snapshots may share it)
    this.setRows(s.rows.stored.slice(0, s.rows.storedCount), s.rows.pending);
    this.primaryKey = s.primaryKey;
    this.identityCurrent = s.identityCurrent;
    this.rebuildIndex();
  }
}
