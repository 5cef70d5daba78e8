import { SqlError, sqlErrors } from '../errors';
import { coerce, Decimal, formatTemporal, Temporal, type SqlType, type Value } from '../types';
import { TruncationError } from '../types/character';

export type Row = Value[];

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
  rows: Row[];
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

/** How a value is shown in SQL Server messages (duplicate key, truncation). */
export function displayValue(v: Value): string {
  if (v === null) return '<NULL>';
  if (v instanceof Temporal) return formatTemporal(v);
  if (Buffer.isBuffer(v)) return '0x' + v.toString('hex').toUpperCase();
  return String(v);
}

export class Table {
  rows: Row[] = [];
  primaryKey?: PrimaryKey;
  /** Primary-key index: key -> row. Rebuilt after restores and bulk replacements. */
  private pkIndex = new Map<string | number | bigint, Row>();
  identityCurrent: bigint | null = null;
  readonly createDate = new Date();
  modifyDate = new Date();

  constructor(
    readonly objectId: number,
    public schema: string,
    public name: string,
    public columns: Column[],
  ) {}

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
  private keyOf(row: Row): string | number | bigint {
    const cols = this.primaryKey!.columns;
    if (cols.length === 1) {
      const v = row[cols[0]];
      return typeof v === 'number' || typeof v === 'bigint' ? v : keyPart(v);
    }
    let key = '';
    for (const c of cols) key += keyPart(row[c]) + '\u0000';
    return key;
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

  /** Appends rows atomically: all are checked against the primary key before any is added. */
  insertRows(rows: Row[], database: string): void {
    if (this.primaryKey) {
      const added = new Map<string | number | bigint, Row>();
      for (const row of rows) {
        const key = this.keyOf(row);
        if (this.pkIndex.has(key) || added.has(key)) throw this.duplicate(row);
        added.set(key, row);
      }
      for (const [k, r] of added) this.pkIndex.set(k, r);
    }
    for (const row of rows) this.rows.push(row);
    this.modifyDate = new Date();
  }

  /** Replaces the whole row set (UPDATE/DELETE/MERGE results), enforcing the primary key. */
  replaceRows(rows: Row[], database: string): void {
    if (this.primaryKey) {
      const index = new Map<string | number | bigint, Row>();
      for (const row of rows) {
        const key = this.keyOf(row);
        if (index.has(key)) throw this.duplicate(row);
        index.set(key, row);
      }
      this.pkIndex = index;
    }
    this.rows = rows;
    this.modifyDate = new Date();
  }

  findByKey(row: Row): Row | undefined {
    return this.primaryKey ? this.pkIndex.get(this.keyOf(row)) : undefined;
  }

  rebuildIndex(): void {
    this.pkIndex = new Map();
    if (this.primaryKey) for (const row of this.rows) this.pkIndex.set(this.keyOf(row), row);
  }

  saveState(): TableState {
    return {
      name: this.name, schema: this.schema, columns: this.columns.map((c) => ({ ...c })), rows: this.rows.slice(),
      primaryKey: this.primaryKey, identityCurrent: this.identityCurrent,
    };
  }

  restoreState(s: TableState): void {
    this.name = s.name;
    this.schema = s.schema;
    this.columns = s.columns;
    this.rows = s.rows;
    this.primaryKey = s.primaryKey;
    this.identityCurrent = s.identityCurrent;
    this.rebuildIndex();
  }
}
