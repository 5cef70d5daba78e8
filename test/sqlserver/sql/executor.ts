import { SqlError, sqlErrors } from '../errors';
import { defaultPrimaryKeyName, UndoLog, type Database } from '../catalog/catalog';
import { RowSnapshot } from '../catalog/row-snapshot';
import { keyPart, Table, type Column, type Row } from '../catalog/table';
import { CurCmd } from '../tokens/done';
import type { ResultColumn } from '../tokens/colmetadata';
import { coerce, isMax, Temporal, type SqlType, type Value } from '../types';
import type { Assignment, Expr, FromClause, ObjectName, SelectStmt, Statement, TableSource } from './ast';
import { compareValues } from './compare';
import { currentDatabase, tempTableName, touchDatabase, touchTable, type ExecContext } from './context';

export { tempTableName };
import { compile, computeAggregate, isAggregateQuery, resolveColumn, type AggregateSlot, type Compiled, type ScopeColumn } from './expressions';
import { splitObjectName } from './functions';
import { parseBatch, parseParameterDeclarations } from './parser';
import { readResult } from './result-rows';
import type { EnvChange, InfoMessage, ResultSet, StatementResult } from './results';
import { systemView } from './system-views';

/** A row source in FROM: its rows and the columns (with the names they can be qualified by). */
interface Source {
  scope: ScopeColumn[];
  rows: RowSnapshot;
}

/** SET options drivers send that are accepted (their effect is the server default). */
const ACCEPTED_SET_OPTIONS = new Set([
  'ANSI_NULLS', 'ANSI_NULL_DFLT_ON', 'ANSI_NULL_DFLT_OFF', 'ANSI_PADDING', 'ANSI_WARNINGS', 'ARITHABORT', 'ARITHIGNORE',
  'CONCAT_NULL_YIELDS_NULL', 'CURSOR_CLOSE_ON_COMMIT', 'DATEFIRST', 'DATEFORMAT', 'LANGUAGE', 'NUMERIC_ROUNDABORT',
  'QUOTED_IDENTIFIER', 'TEXTSIZE', 'TRANSACTION ISOLATION LEVEL', 'LOCK_TIMEOUT', 'DEADLOCK_PRIORITY', 'ANSI_DEFAULTS',
  'NO_BROWSETABLE', 'QUERY_GOVERNOR_COST_LIMIT', 'FORCEPLAN', 'CONTEXT_INFO', 'IMPLICIT_TRANSACTIONS', 'XACT_ABORT', 'NOCOUNT', 'ROWCOUNT',
  'IDENTITY_INSERT', 'STATISTICS', 'FMTONLY', 'NOEXEC', 'PARSEONLY', 'SHOWPLAN_ALL', 'SHOWPLAN_TEXT', 'SHOWPLAN_XML',
]);
/** Options that would change what the server returns; accepted only with their default value. */
const DEFAULT_ONLY: Record<string, string> = {
  IMPLICIT_TRANSACTIONS: 'OFF', ROWCOUNT: '0', FMTONLY: 'OFF', NOEXEC: 'OFF', PARSEONLY: 'OFF', SHOWPLAN_ALL: 'OFF',
  SHOWPLAN_TEXT: 'OFF', SHOWPLAN_XML: 'OFF', ANSI_NULLS: 'ON', CONCAT_NULL_YIELDS_NULL: 'ON', QUOTED_IDENTIFIER: 'ON',
};

let descriptorCounter = 1n;

/** Executes parsed statements against the catalog for one session. */
export class Executor {
  /** Results of the statements executed so far; the session drains and sends them. */
  readonly out: StatementResult[] = [];
  /** Set for the duration of a batch: the statement index (CREATE SCHEMA must come first). */
  private batchPosition = 0;

  constructor(private readonly ctx: ExecContext, private readonly onStatement: (kind: string) => void = () => {}) {}

  /** Parses a batch (syntax errors abort it before anything runs). */
  parse(sql: string): Statement[] {
    return parseBatch(sql);
  }

  execute(stmt: Statement, positionInBatch: number): void {
    this.batchPosition = positionInBatch;
    try {
      this.run(stmt);
    } catch (e) {
      if (e instanceof SqlError && e.line === undefined) e.line = stmt.line;
      throw e;
    }
  }

  private push(r: Partial<StatementResult> & { kind: StatementResult['kind'] }): void {
    this.out.push({ curCmd: CurCmd.NONE, done: true, envChanges: [], infos: [], ...r });
  }

  private run(stmt: Statement): void {
    this.onStatement(stmt.kind);
    switch (stmt.kind) {
      case 'select': {
        const rs = this.select(stmt);
        this.ctx.session.rowCount = rs.rows.count;
        this.push({ kind: 'select', curCmd: CurCmd.SELECT, rowCount: rs.rows.count, resultSet: rs });
        return;
      }
      case 'insert': return this.insert(stmt);
      case 'update': return this.update(stmt);
      case 'delete': return this.delete(stmt);
      case 'merge': return this.merge(stmt);
      case 'createTable': return this.createTable(stmt);
      case 'dropTable': return this.dropTable(stmt);
      case 'truncate': return this.truncate(stmt);
      case 'createSchema': return this.createSchema(stmt);
      case 'dropSchema': return this.dropSchema(stmt);
      case 'transfer': return this.transfer(stmt);
      case 'exec': return this.exec(stmt);
      case 'execDynamic': {
        const sql = this.constant(stmt.sql);
        if (sql === null) return;
        return this.runNested(String(sql));
      }
      case 'tran': return this.transaction(stmt.op);
      case 'print': {
        const message = this.constant(stmt.message);
        this.push({ kind: 'print', done: false, infos: [{ number: 0, message: message === null ? '' : String(message), state: 1, severity: 0 }] });
        return;
      }
      case 'throw': {
        const number = Number(this.constant(stmt.number));
        const state = Number(this.constant(stmt.state));
        const severity = stmt.severity ? Number(this.constant(stmt.severity)) : 16;
        const message = String(this.constant(stmt.message) ?? '');
        if (!stmt.severity && (number < 50000 || !Number.isInteger(number))) throw new SqlError(35100, `Error number ${number} in the THROW statement is outside the valid range. Specify an error number in the valid range of 50000 to 2147483647.`, 10, 16, 'batch');
        if (severity < 11) {
          // RAISERROR below 11 is an informational message
          this.push({ kind: 'throw', done: false, infos: [{ number, message, state, severity }] });
          return;
        }
        throw new SqlError(number, message, state, Math.min(severity, 25), stmt.severity ? 'statement' : 'batch');
      }
      case 'set': return this.set(stmt);
      case 'setVar': {
        const v = this.ctx.session.variables.get(stmt.name.toLowerCase());
        if (!v) throw sqlErrors.mustDeclare(stmt.name);
        v.value = coerce(this.constant(stmt.expr), v.type);
        this.push({ kind: 'setVar', done: false });
        return;
      }
      case 'declare':
        for (const d of stmt.vars) {
          this.ctx.session.variables.set(d.name.toLowerCase(), { type: d.type, value: d.init ? coerce(this.constant(d.init), d.type) : null });
        }
        this.push({ kind: 'declare', done: false });
        return;
      case 'use': {
        const db = this.ctx.catalog.database(stmt.database);
        if (!db) throw sqlErrors.databaseMissing(stmt.database);
        const old = this.ctx.session.database;
        this.ctx.session.database = db.name;
        this.push({ kind: 'use', done: true, envChanges: [{ kind: 'database', newValue: db.name, oldValue: old }], infos: [{ number: 5701, message: `Changed database context to '${db.name}'.`, state: 1, severity: 0 }] });
        return;
      }
      case 'if': {
        const cond = compile(stmt.condition, { scope: [], ctx: this.ctx }).eval([]);
        if (cond === true) this.run(stmt.then);
        else if (stmt.else) this.run(stmt.else);
        return;
      }
      case 'block':
        for (const s of stmt.statements) this.run(s);
        return;
      case 'insertBulk':
        throw new SqlError(4022, 'Bulk load data was expected but not sent. The batch will be terminated.', 1, 16, 'batch');
    }
  }

  /** Runs a batch given as text (EXEC('...') / sp_executesql) within this statement. */
  runNested(sql: string, parameters?: Map<string, { type: SqlType; value: Value }>): void {
    const statements = parseBatch(sql);
    const saved = this.ctx.session.variables;
    if (parameters) this.ctx.session.variables = parameters;
    try {
      statements.forEach((s, i) => {
        const previous = this.batchPosition;
        this.batchPosition = i;
        try {
          this.run(s);
        } catch (e) {
          // Statement-level errors are reported and the nested batch goes on, as in SQL Server.
          if (!(e instanceof SqlError) || e.scope !== 'statement' || (this.ctx.session.xactAbort && this.ctx.session.tranCount > 0)) throw e;
          if (e.line === undefined) e.line = s.line;
          this.push({ kind: s.kind, done: false, error: e });
        } finally {
          this.batchPosition = previous;
        }
      });
    } finally {
      this.ctx.session.variables = saved;
    }
  }

  private constant(e: Expr): Value {
    return compile(e, { scope: [], ctx: this.ctx }).eval([]);
  }

  // ---- name resolution ---------------------------------------------------------------------
  /** Splits a name into database / schema / object, mapping #temp tables to tempdb. */
  nameParts(name: ObjectName): { db: Database; schema: string; object: string } {
    const p = name.parts;
    const object = p[p.length - 1];
    if (object.startsWith('#')) {
      return { db: this.ctx.catalog.requireDatabase('tempdb'), schema: 'dbo', object: tempTableName(object, this.ctx.session.spid) };
    }
    const schema = p.length >= 2 && p[p.length - 2] !== '' ? p[p.length - 2] : 'dbo';
    const db = p.length >= 3 ? this.ctx.catalog.requireDatabase(p[p.length - 3]) : currentDatabase(this.ctx);
    return { db, schema, object };
  }

  private table(name: ObjectName): { db: Database; table: Table } {
    const { db, schema, object } = this.nameParts(name);
    const table = db.table(schema, object);
    if (!table) throw sqlErrors.invalidObject(name.text);
    return { db, table };
  }

  private tableSource(src: TableSource): Source {
    switch (src.kind) {
      case 'table': {
        const { db, schema, object } = this.nameParts(src.name);
        const view = systemView(this.ctx.catalog, db, schema, object);
        if (view === null) throw sqlErrors.invalidObject(src.name.text);
        const qualifiers = src.alias
          ? [src.alias.toLowerCase()]
          : [object.toLowerCase(), `${schema}.${object}`.toLowerCase(), `${db.name}.${schema}.${object}`.toLowerCase()];
        if (view) {
          return { scope: view.columns.map((c) => ({ ...c, qualifiers })), rows: RowSnapshot.of(view.rows) };
        }
        const table = db.table(schema, object);
        if (!table) throw sqlErrors.invalidObject(src.name.text);
        if (!src.alias) qualifiers[0] = table.name.toLowerCase().startsWith('#') ? src.name.parts[src.name.parts.length - 1].toLowerCase() : qualifiers[0];
        return { scope: tableScope(table, qualifiers), rows: table.snapshot() };
      }
      case 'values': {
        const rows = src.rows.map((r) => r.map((e) => this.constant(e)));
        const width = src.rows[0].length;
        if (src.rows.some((r) => r.length !== width)) throw new SqlError(10709, 'The number of columns for each row in a table value constructor must be the same.', 1, 16, 'batch');
        if (src.columns.length !== width) throw new SqlError(8158, `'${src.alias}' has more columns than were specified in the column list.`, 1, 16, 'batch');
        const types = src.rows[0].map((e) => compile(e, { scope: [], ctx: this.ctx }).type);
        return {
          scope: src.columns.map((name, i) => ({ name, type: types[i], nullable: true, qualifiers: [src.alias.toLowerCase()] })),
          rows: RowSnapshot.of(rows),
        };
      }
      case 'subquery': {
        const rs = this.select(src.select);
        return { scope: rs.columns.map((c) => ({ ...c, qualifiers: [src.alias.toLowerCase()] })), rows: RowSnapshot.of(readResult(rs)) };
      }
    }
  }

  /** FROM with joins: a combined scope and rows that concatenate the sources' rows. */
  private from(from: FromClause): Source {
    let acc = this.tableSource(from.source);
    for (const join of from.joins) {
      const right = this.tableSource(join.source);
      const scope = [...acc.scope, ...right.scope];
      const on = join.on ? compile(join.on, { scope, ctx: this.ctx }) : undefined;
      const rows: Value[][] = [];
      const nulls = new Array<Value>(right.scope.length).fill(null);
      const rightRows = right.rows.toArray();
      for (const l of acc.rows.toArray()) {
        let matched = false;
        for (const r of rightRows) {
          const combined = l.concat(r);
          if (!on || on.eval(combined) === true) {
            rows.push(combined);
            matched = true;
          }
        }
        if (!matched && join.type === 'LEFT') rows.push(l.concat(nulls));
      }
      const rightScope = join.type === 'LEFT' ? right.scope.map((c) => ({ ...c, nullable: true })) : right.scope;
      acc = { scope: [...acc.scope, ...rightScope], rows: RowSnapshot.of(rows) };
    }
    return acc;
  }

  // ---- SELECT ------------------------------------------------------------------------------
  select(s: SelectStmt): ResultSet {
    const counted = this.countOnly(s);
    if (counted) return counted;
    const source: Source = s.from ? this.from(s.from) : { scope: [], rows: RowSnapshot.of([[]]) };
    const scope = source.scope;
    let rows = source.rows;
    if (s.where) {
      // decodes only the columns WHERE reads; bulk-loaded rows it keeps stay in wire form
      const whereReads = new Set<number>();
      const where = compile(s.where, { scope, ctx: this.ctx, columnsRead: whereReads });
      rows = rows.filter([...whereReads], (r) => where.eval(r) === true);
    }

    const itemExprs = s.items.filter((i) => i.kind === 'expr').map((i) => (i as { expr: Expr }).expr);
    if (s.groupBy || isAggregateQuery(itemExprs)) return this.aggregateSelect(s, scope, rows.toArray());

    // Select list (columnsRead: what computed items need decoded from bulk-loaded rows)
    const columnsRead = new Set<number>();
    const items: { compiled: Compiled; name: string }[] = [];
    for (const item of s.items) {
      if (item.kind === 'star') {
        const q = item.qualifier?.toLowerCase();
        if (!s.from) throw new SqlError(263, 'Must specify table to select from.', 1, 16, 'batch');
        let any = false;
        scope.forEach((c, idx) => {
          if (q !== undefined && !c.qualifiers.includes(q)) return;
          any = true;
          items.push({ compiled: { eval: (r) => r[idx], type: c.type, nullable: c.nullable, columnIndex: idx, name: c.name }, name: c.name });
        });
        if (!any) throw sqlErrors.multipartNotBound(`${item.qualifier}.*`);
      } else {
        const compiled = compile(item.expr, { scope, ctx: this.ctx, columnsRead });
        items.push({ compiled, name: item.alias ?? compiled.name });
      }
    }

    // ORDER BY (on source rows, so it can use columns that are not selected)
    if (s.orderBy && s.orderBy.length > 0) {
      const keys = s.orderBy.map((o) => ({ key: this.orderKey(o.expr, s, items, scope), desc: o.desc }));
      rows = RowSnapshot.of(sortRows(rows.toArray(), keys.map((k) => ({ eval: k.key.eval, desc: k.desc }))));
    } else if (s.offset) {
      throw new SqlError(102, `Incorrect syntax near 'OFFSET'.`, 1, 15, 'batch');
    }

    const columns: ResultColumn[] = items.map((i) => ({
      name: i.name, type: i.compiled.type, nullable: i.compiled.nullable,
      identity: i.compiled.columnIndex !== undefined ? scope[i.compiled.columnIndex].identity : undefined,
      updatable: i.compiled.columnIndex !== undefined ? scope[i.compiled.columnIndex].fromTable : undefined,
    }));

    const count = rows.count;
    let start = 0;
    let end = count;
    if (s.offset) {
      start = Math.min(count, this.rowLimit(s.offset));
      if (s.fetch) end = Math.min(count, start + this.rowLimit(s.fetch));
    }
    if (s.top) end = Math.min(end, start + this.rowLimit(s.top));

    if (s.distinct) {
      // DISTINCT compares projected rows: build them all
      const seen = new Set<string>();
      const out: Value[][] = [];
      rows.forEach((r) => {
        const projected = items.map((it) => it.compiled.eval(r));
        const k = projected.map(keyPart).join('\u0000');
        if (seen.has(k)) return;
        seen.add(k);
        out.push(projected);
      });
      return { columns, rows: RowSnapshot.of(out.slice(start, Math.min(end, out.length))), index: items.map((_, i) => i) };
    }
    // OFFSET comes with ORDER BY, so those rows are an array already
    rows = start > 0 ? RowSnapshot.of(rows.toArray().slice(start, end)) : rows.take(end);
    const index = items.map((i) => i.compiled.columnIndex ?? -1);
    if (index.every((c) => c >= 0)) return { columns, rows, index };
    return { columns, rows, index, computed: this.computeItems(items, rows, [...columnsRead]) };
  }

  /**
   * Values of the computed select items, row by row in order (so the first error is the one
   * building whole rows would meet), reading only the columns they use from bulk-loaded rows.
   */
  private computeItems(items: { compiled: Compiled }[], rows: RowSnapshot, columnsRead: number[]): Value[][] {
    const computed: Value[][] = items.map((i) => (i.compiled.columnIndex === undefined ? new Array<Value>(rows.count) : []));
    const evals = items.map((i, at) => ({ at, eval: i.compiled.eval })).filter((e) => items[e.at].compiled.columnIndex === undefined);
    let r = 0;
    rows.forEachColumns(columnsRead, (row) => {
      for (const e of evals) computed[e.at][r] = e.eval(row);
      r++;
    });
    return computed;
  }

  /**
   * SELECT COUNT(*) / COUNT_BIG(*) FROM one table without WHERE: answered from the row count,
   * so counting right after a bulk load does not decode the loaded rows.
   */
  private countOnly(s: SelectStmt): ResultSet | undefined {
    if (!s.from || s.from.joins.length > 0 || s.where || s.from.source.kind !== 'table' || s.top || s.distinct) return undefined;
    const calls = s.items.map((i) => (i.kind === 'expr' && i.expr.kind === 'call' && i.expr.star && (i.expr.name === 'COUNT' || i.expr.name === 'COUNT_BIG') ? i : undefined));
    if (calls.some((c) => c === undefined)) return undefined;
    const { db, schema, object } = this.nameParts(s.from.source.name);
    const table = db.table(schema, object);
    if (!table) return undefined; // views and errors take the general path
    const n = table.rowCount;
    const columns: ResultColumn[] = calls.map((c) => {
      const big = (c as { expr: { name: string } }).expr.name === 'COUNT_BIG';
      return { name: (c as { alias?: string }).alias ?? '', type: { name: big ? 'bigint' : 'int' }, nullable: false };
    });
    const row = columns.map((c) => (c.type.name === 'bigint' ? BigInt(n) : n));
    return { columns, rows: RowSnapshot.of([row]), index: columns.map((_, i) => i) };
  }

  private rowLimit(e: Expr): number {
    const v = this.constant(e);
    const n = v === null ? NaN : Number(v instanceof Object && 'unscaled' in v ? v.toString() : v);
    if (!Number.isInteger(n) || n < 0) throw sqlErrors.topNegative();
    return n;
  }

  private orderKey(e: Expr, s: SelectStmt, items: { compiled: Compiled; name: string }[], scope: ScopeColumn[]): Compiled {
    if (e.kind === 'literal' && typeof e.value === 'number') {
      const item = items[e.value - 1];
      if (!item) throw sqlErrors.orderByOrdinal(e.value);
      return item.compiled;
    }
    if (e.kind === 'column' && e.parts.length === 1) {
      const alias = s.items.find((i) => i.kind === 'expr' && i.alias?.toLowerCase() === e.parts[0].toLowerCase());
      if (alias) return items[s.items.indexOf(alias)]?.compiled ?? compile(e, { scope, ctx: this.ctx });
    }
    return compile(e, { scope, ctx: this.ctx });
  }

  /**
   * Aggregate queries: one result row per group (GROUP BY columns) or one for all rows.
   * Select items, HAVING and ORDER BY are evaluated per group with that group's aggregates.
   */
  private aggregateSelect(s: SelectStmt, scope: ScopeColumn[], rows: readonly Value[][]): ResultSet {
    const groupIndexes = (s.groupBy ?? []).map((e) => {
      if (e.kind !== 'column') throw sqlErrors.notSupported('GROUP BY expressions');
      return resolveColumn(scope, e.parts, e.text);
    });
    const aggregates: AggregateSlot[] = [];
    const aggregateValues: Value[] = [];
    const options = { scope, ctx: this.ctx, aggregates, aggregateValues, inAggregateQuery: true, groupColumns: new Set(groupIndexes) };
    const items = s.items.map((item) => {
      if (item.kind === 'star') throw sqlErrors.notInGroupBy('*');
      const compiled = compile(item.expr, options);
      return { compiled, name: item.alias ?? (compiled.columnIndex !== undefined ? compiled.name : '') };
    });
    const having = s.having ? compile(s.having, options) : undefined;
    const order = (s.orderBy ?? []).map((o) => {
      if (o.expr.kind === 'literal' && typeof o.expr.value === 'number') {
        const item = items[o.expr.value - 1];
        if (!item) throw sqlErrors.orderByOrdinal(o.expr.value);
        return { eval: item.compiled.eval, desc: o.desc };
      }
      const alias = o.expr.kind === 'column' && o.expr.parts.length === 1 ? s.items.findIndex((i) => i.kind === 'expr' && i.alias?.toLowerCase() === (o.expr as { parts: string[] }).parts[0].toLowerCase()) : -1;
      return { eval: alias >= 0 ? items[alias].compiled.eval : compile(o.expr, options).eval, desc: o.desc };
    });

    const groups: (readonly Value[][])[] = [];
    if (groupIndexes.length === 0) groups.push(rows);
    else {
      const byKey = new Map<string, Value[][]>();
      for (const r of rows) {
        let key = '';
        for (const g of groupIndexes) key += (r[g] === null ? 'N' : keyPart(r[g])) + '\u0000';
        const list = byKey.get(key);
        if (list) list.push(r);
        else {
          const fresh = [r];
          byKey.set(key, fresh);
          groups.push(fresh);
        }
      }
    }
    const out: Value[][] = [];
    const sortKeys: Value[][] = [];
    for (const group of groups) {
      aggregates.forEach((a, i) => (aggregateValues[i] = computeAggregate(a, group)));
      const representative = group[0] ?? [];
      if (having && having.eval(representative) !== true) continue;
      out.push(items.map((i) => i.compiled.eval(representative)));
      sortKeys.push(order.map((o) => o.eval(representative)));
    }
    let result: Value[][] = out;
    if (order.length > 0) {
      const rowsWithKeys = out.map((r, i) => [...sortKeys[i], ...r]);
      const sorted = sortRows(rowsWithKeys, order.map((o, k) => ({ eval: (r: Value[]) => r[k], desc: o.desc })));
      result = sorted.map((r) => r.slice(order.length));
    }
    let start = 0;
    let end = result.length;
    if (s.offset) {
      start = Math.min(end, this.rowLimit(s.offset));
      if (s.fetch) end = Math.min(end, start + this.rowLimit(s.fetch));
    }
    if (s.top) end = Math.min(end, start + this.rowLimit(s.top));
    result = result.slice(start, end);
    const columns = items.map((i) => ({ name: i.name, type: i.compiled.type, nullable: i.compiled.nullable }));
    return { columns, rows: RowSnapshot.of(result), index: columns.map((_, i) => i) };
  }

  // ---- INSERT / UPDATE / DELETE / MERGE ----------------------------------------------------
  private insert(stmt: Extract<Statement, { kind: 'insert' }>): void {
    const { db, table } = this.table(stmt.table);
    const identityInsert = this.ctx.session.identityInsert.has(table);
    const identityIdx = table.identityColumn();
    let targets: number[];
    if (stmt.columns) {
      targets = stmt.columns.map((c) => {
        const i = table.columnIndex(c);
        if (i < 0) throw sqlErrors.invalidColumn(c);
        return i;
      });
      if (identityIdx >= 0 && targets.includes(identityIdx) && !identityInsert) throw sqlErrors.identityInsert(table.name);
    } else {
      if (identityInsert) throw new SqlError(8101, `An explicit value for the identity column in table '${table.name}' can only be specified when a column list is used and IDENTITY_INSERT is ON.`, 1, 16);
      targets = table.columns.map((_, i) => i).filter((i) => i !== identityIdx);
    }
    let inputRows: (Value | undefined)[][];
    if (stmt.values) {
      inputRows = stmt.values.map((r) => {
        if (r.length !== targets.length) {
          if (!stmt.columns) throw sqlErrors.columnCountMismatch();
          throw r.length > targets.length ? sqlErrors.moreValuesThanColumns() : sqlErrors.fewerValuesThanColumns();
        }
        return r.map((e) => (e.kind === 'call' && e.name === 'DEFAULT' ? undefined : this.constant(e)));
      });
    } else if (stmt.select) {
      const rs = this.select(stmt.select);
      if (rs.columns.length !== targets.length) throw stmt.columns ? (rs.columns.length > targets.length ? sqlErrors.moreValuesThanColumns() : sqlErrors.fewerValuesThanColumns()) : sqlErrors.columnCountMismatch();
      inputRows = readResult(rs);
    } else {
      inputRows = [[]];
      targets = [];
    }
    const explicitIdentity = identityInsert && identityIdx >= 0 && targets.includes(identityIdx);
    const built: Row[] = inputRows.map((input) => {
      const values: (Value | undefined)[] = new Array(table.columns.length).fill(undefined);
      targets.forEach((t, i) => (values[t] = input[i]));
      return table.buildRow(values, db.name, 'INSERT', explicitIdentity);
    });
    touchTable(this.ctx, table);
    table.insertRows(built, db.name);
    if (identityIdx >= 0 && built.length > 0) {
      if (explicitIdentity) for (const r of built) table.noteIdentity(r[identityIdx]);
      const last = built[built.length - 1][identityIdx];
      this.ctx.session.scopeIdentity = last === null ? null : coerce(last, { name: 'numeric', precision: 38, scale: 0 });
    }
    this.ctx.session.rowCount = built.length;
    this.push({ kind: 'insert', curCmd: CurCmd.INSERT, rowCount: built.length });
  }

  private compileAssignments(table: Table, sets: Assignment[], scope: ScopeColumn[]): { index: number; expr: Compiled }[] {
    return sets.map((a) => {
      const index = table.columnIndex(a.column);
      if (index < 0) throw sqlErrors.invalidColumn(a.column);
      if (table.columns[index].identity) throw sqlErrors.identityUpdate(table.columns[index].name);
      return { index, expr: compile(a.expr, { scope, ctx: this.ctx }) };
    });
  }

  private update(stmt: Extract<Statement, { kind: 'update' }>): void {
    const { db, table } = this.table(stmt.table);
    const scope = tableScope(table, qualifiersFor(stmt.table, table));
    const where = stmt.where ? compile(stmt.where, { scope, ctx: this.ctx }) : undefined;
    const sets = this.compileAssignments(table, stmt.sets, scope);
    let changed = 0;
    const next: Row[] = table.snapshot().toArray().map((row) => {
      if (where && where.eval(row) !== true) return row;
      changed++;
      const copy = row.slice();
      for (const s of sets) copy[s.index] = table.coerceColumn(s.index, s.expr.eval(row), db.name, 'UPDATE');
      return copy;
    });
    if (changed > 0) {
      touchTable(this.ctx, table);
      table.replaceRows(next, db.name);
    }
    this.ctx.session.rowCount = changed;
    this.push({ kind: 'update', curCmd: CurCmd.UPDATE, rowCount: changed });
  }

  private delete(stmt: Extract<Statement, { kind: 'delete' }>): void {
    const { db, table } = this.table(stmt.table);
    const scope = tableScope(table, qualifiersFor(stmt.table, table));
    const where = stmt.where ? compile(stmt.where, { scope, ctx: this.ctx }) : undefined;
    const all = table.snapshot();
    const kept = where ? all.toArray().filter((r) => where.eval(r) !== true) : [];
    const deleted = all.count - kept.length;
    if (deleted > 0) {
      touchTable(this.ctx, table);
      table.replaceRows(kept, db.name);
    }
    this.ctx.session.rowCount = deleted;
    this.push({ kind: 'delete', curCmd: CurCmd.DELETE, rowCount: deleted });
  }

  private merge(stmt: Extract<Statement, { kind: 'merge' }>): void {
    const { db, table } = this.table(stmt.target);
    const targetScope = tableScope(table, stmt.targetAlias ? [stmt.targetAlias.toLowerCase()] : qualifiersFor(stmt.target, table));
    const source = this.tableSource(stmt.source);
    const scope = [...targetScope, ...source.scope];
    const width = targetScope.length;
    const on = compile(stmt.on, { scope, ctx: this.ctx });
    const compileOpt = (e?: Expr) => (e ? compile(e, { scope, ctx: this.ctx }) : undefined);
    const matched = stmt.matched;
    const matchedAnd = compileOpt(matched?.and);
    const matchedSets = matched?.action === 'update' ? this.compileAssignments(table, matched.sets, scope) : [];
    const notMatched = stmt.notMatched;
    const notMatchedAnd = compileOpt(notMatched?.and);
    const insertTargets = notMatched
      ? (notMatched.columns ?? table.columns.filter((c) => !c.identity).map((c) => c.name)).map((c) => {
          const i = table.columnIndex(c);
          if (i < 0) throw sqlErrors.invalidColumn(c);
          return i;
        })
      : [];
    if (notMatched && insertTargets.length !== notMatched.values.length) throw insertTargets.length < notMatched.values.length ? sqlErrors.moreValuesThanColumns() : sqlErrors.fewerValuesThanColumns();
    const insertValues = notMatched ? notMatched.values.map((v) => compile(v, { scope, ctx: this.ctx })) : [];
    const bySource = stmt.notMatchedBySource;
    const bySourceAnd = compileOpt(bySource?.and);
    const bySourceSets = bySource?.action === 'update' ? this.compileAssignments(table, bySource.sets, targetScope) : [];

    // Hash join when ON is a conjunction of target.col = source.col equalities.
    const pairs = equiJoinPairs(stmt.on, scope, width);
    const targetRows = table.snapshot().toArray();
    const sourceRows = source.rows.toArray();
    let lookup: (sourceRow: Value[]) => number[];
    if (pairs) {
      const index = new Map<string, number[]>();
      targetRows.forEach((r, i) => {
        if (pairs.some(([t]) => r[t] === null)) return;
        const k = pairs.map(([t]) => keyPart(r[t])).join('\u0000');
        const list = index.get(k);
        if (list) list.push(i);
        else index.set(k, [i]);
      });
      lookup = (s) => {
        if (pairs.some(([, si]) => s[si - width] === null)) return [];
        // keys compare after coercion to the target column's type
        const k = pairs.map(([t, si]) => keyPart(coerceForKey(s[si - width], table.columns[t]))).join('\u0000');
        return (index.get(k) ?? []).filter((i) => on.eval(targetRows[i].concat(s)) === true);
      };
    } else {
      lookup = (s) => {
        const hits: number[] = [];
        targetRows.forEach((r, i) => { if (on.eval(r.concat(s)) === true) hits.push(i); });
        return hits;
      };
    }

    const replaced = new Map<number, Row | null>(); // target index -> new row (null = deleted)
    const touched = new Set<number>();
    const inserts: Row[] = [];
    const identityIdx = table.identityColumn();
    for (const s of sourceRows) {
      const hits = lookup(s);
      if (hits.length > 0) {
        for (const ti of hits) {
          if (touched.has(ti)) throw sqlErrors.mergeDuplicate();
          touched.add(ti);
          if (!matched) continue;
          const combined = targetRows[ti].concat(s);
          if (matchedAnd && matchedAnd.eval(combined) !== true) continue;
          if (matched.action === 'delete') replaced.set(ti, null);
          else {
            const copy = targetRows[ti].slice();
            for (const a of matchedSets) copy[a.index] = table.coerceColumn(a.index, a.expr.eval(combined), db.name, 'MERGE' as 'UPDATE');
            replaced.set(ti, copy);
          }
        }
      } else if (notMatched) {
        const combined = new Array<Value>(width).fill(null).concat(s);
        if (notMatchedAnd && notMatchedAnd.eval(combined) !== true) continue;
        const values: (Value | undefined)[] = new Array(table.columns.length).fill(undefined);
        insertTargets.forEach((t, i) => (values[t] = insertValues[i].eval(combined)));
        if (identityIdx >= 0 && insertTargets.includes(identityIdx) && !this.ctx.session.identityInsert.has(table)) throw sqlErrors.identityInsert(table.name);
        inserts.push(table.buildRow(values, db.name, 'MERGE' as 'INSERT', insertTargets.includes(identityIdx)));
      }
    }
    if (bySource) {
      targetRows.forEach((r, ti) => {
        if (touched.has(ti)) return;
        if (bySourceAnd && bySourceAnd.eval(r) !== true) return;
        if (bySource.action === 'delete') replaced.set(ti, null);
        else {
          const copy = r.slice();
          for (const a of bySourceSets) copy[a.index] = table.coerceColumn(a.index, a.expr.eval(r), db.name, 'UPDATE');
          replaced.set(ti, copy);
        }
      });
    }
    const affected = replaced.size + inserts.length;
    if (affected > 0) {
      touchTable(this.ctx, table);
      const next: Row[] = [];
      targetRows.forEach((r, i) => {
        if (!replaced.has(i)) next.push(r);
        else if (replaced.get(i) !== null) next.push(replaced.get(i)!);
      });
      for (const r of inserts) next.push(r);
      table.replaceRows(next, db.name);
      if (identityIdx >= 0 && inserts.length > 0) {
        this.ctx.session.scopeIdentity = coerce(inserts[inserts.length - 1][identityIdx], { name: 'numeric', precision: 38, scale: 0 });
      }
    }
    this.ctx.session.rowCount = affected;
    this.push({ kind: 'merge', curCmd: CurCmd.MERGE, rowCount: affected });
  }

  // ---- DDL ---------------------------------------------------------------------------------
  private createTable(stmt: Extract<Statement, { kind: 'createTable' }>): void {
    const { db, schema, object } = this.nameParts(stmt.name);
    const sc = db.schema(schema);
    if (!sc || sc.name === 'sys' || sc.name === 'INFORMATION_SCHEMA') throw sqlErrors.schemaMissing(schema);
    if (db.table(schema, object)) throw sqlErrors.objectExists(stmt.name.parts[stmt.name.parts.length - 1]);
    const seen = new Set<string>();
    const pkNames = new Set((stmt.primaryKey?.columns ?? []).map((c) => c.toLowerCase()));
    const columns: Column[] = stmt.columns.map((c, i) => {
      if (seen.has(c.name.toLowerCase())) throw new SqlError(2705, `Column names in each table must be unique. Column name '${c.name}' in table '${object}' is specified more than once.`, 3, 16);
      seen.add(c.name.toLowerCase());
      if (c.identity) {
        const okType = ['tinyint', 'smallint', 'int', 'bigint'].includes(c.type.name) || ((c.type.name === 'decimal' || c.type.name === 'numeric') && c.type.scale === 0);
        if (!okType || c.nullable === true) throw new SqlError(2749, `Identity column '${c.name}' must be of data type int, bigint, smallint, tinyint, or decimal or numeric with a scale of 0, and constrained to be nonnullable.`, 2, 16);
      }
      const inPk = pkNames.has(c.name.toLowerCase());
      if (inPk && c.nullable === true) throw new SqlError(8111, `Cannot define PRIMARY KEY constraint on nullable column in table '${object}'.`, 1, 16);
      if (inPk && isMax(c.type)) throw new SqlError(1919, `Column '${c.name}' in table '${object}' is of a type that is invalid for use as a key column in an index.`, 1, 16);
      return { name: c.name, type: c.type, nullable: inPk || c.identity ? false : c.nullable ?? true, identity: c.identity, columnId: i + 1 };
    });
    if (stmt.columns.filter((c) => c.identity).length > 1) throw new SqlError(2744, `Multiple identity columns specified for table '${object}'. Only one identity column per table is allowed.`, 2, 16);
    const table = new Table(this.ctx.catalog.newObjectId(), sc.name, object, columns);
    if (stmt.primaryKey) {
      const cols = stmt.primaryKey.columns.map((c) => {
        const i = table.columnIndex(c);
        if (i < 0) throw new SqlError(1911, `Column name '${c}' does not exist in the target table or view.`, 1, 16);
        return i;
      });
      const pkName = stmt.primaryKey.name ?? defaultPrimaryKeyName(object, table.objectId);
      for (const t of db.tables.values()) if (t.primaryKey?.name.toLowerCase() === pkName.toLowerCase()) throw sqlErrors.objectExists(pkName);
      table.primaryKey = { name: pkName, objectId: this.ctx.catalog.newObjectId(), columns: cols };
    }
    touchDatabase(this.ctx, db);
    db.addTable(table);
    this.push({ kind: 'createTable' });
  }

  private dropTable(stmt: Extract<Statement, { kind: 'dropTable' }>): void {
    for (const name of stmt.names) {
      const { db, schema, object } = this.nameParts(name);
      const table = db.table(schema, object);
      if (!table) {
        if (stmt.ifExists) continue;
        throw sqlErrors.cannotDrop(name.text);
      }
      touchDatabase(this.ctx, db);
      db.removeTable(table);
      this.ctx.session.identityInsert.delete(table);
    }
    this.push({ kind: 'dropTable' });
  }

  private truncate(stmt: Extract<Statement, { kind: 'truncate' }>): void {
    const { db, schema, object } = this.nameParts(stmt.name);
    const table = db.table(schema, object);
    if (!table) throw sqlErrors.cannotFindObject(stmt.name.parts[stmt.name.parts.length - 1]);
    touchTable(this.ctx, table);
    table.replaceRows([], db.name);
    table.identityCurrent = null;
    this.push({ kind: 'truncate' });
  }

  private createSchema(stmt: Extract<Statement, { kind: 'createSchema' }>): void {
    if (this.batchPosition !== 0) throw new SqlError(111, "'CREATE SCHEMA' must be the first statement in a query batch.", 1, 15, 'batch');
    const db = currentDatabase(this.ctx);
    if (db.schema(stmt.name)) throw sqlErrors.schemaExists(stmt.name);
    touchDatabase(this.ctx, db);
    db.schemas.set(stmt.name.toLowerCase(), { id: this.ctx.catalog.newSchemaId(), name: stmt.name });
    this.push({ kind: 'createSchema' });
  }

  private dropSchema(stmt: Extract<Statement, { kind: 'dropSchema' }>): void {
    const db = currentDatabase(this.ctx);
    const sc = db.schema(stmt.name);
    if (!sc) {
      if (stmt.ifExists) return this.push({ kind: 'dropSchema' });
      throw new SqlError(15151, `Cannot drop the schema '${stmt.name}', because it does not exist or you do not have permission.`, 1, 16);
    }
    const user = [...db.tables.values()].find((t) => t.schema.toLowerCase() === sc.name.toLowerCase());
    if (user) throw new SqlError(3729, `Cannot drop schema '${sc.name}' because it is being referenced by object '${user.name}'.`, 1, 16);
    touchDatabase(this.ctx, db);
    db.schemas.delete(stmt.name.toLowerCase());
    this.push({ kind: 'dropSchema' });
  }

  private transfer(stmt: Extract<Statement, { kind: 'transfer' }>): void {
    const db = currentDatabase(this.ctx);
    const target = db.schema(stmt.schema);
    if (!target) throw new SqlError(15151, `Cannot find the schema '${stmt.schema}', because it does not exist or you do not have permission.`, 1, 16);
    const { schema, object } = this.nameParts(stmt.object);
    const table = db.table(schema, object);
    if (!table) throw new SqlError(15151, `Cannot find the object '${object}', because it does not exist or you do not have permission.`, 1, 16);
    if (db.table(target.name, table.name)) throw new SqlError(15530, `The object with name "${table.name}" already exists.`, 1, 16);
    touchDatabase(this.ctx, db);
    touchTable(this.ctx, table);
    const oldSchema = table.schema;
    table.schema = target.name;
    db.rekey(table, oldSchema, table.name);
    this.push({ kind: 'transfer' });
  }

  // ---- procedures --------------------------------------------------------------------------
  private exec(stmt: Extract<Statement, { kind: 'exec' }>): void {
    const name = stmt.procedure.parts[stmt.procedure.parts.length - 1].toLowerCase();
    const args = stmt.args.map((a) => ({ name: a.name?.toLowerCase(), value: this.constant(a.expr) }));
    const arg = (pos: number, named: string) => args.find((a) => a.name === named) ?? (args[pos]?.name === undefined ? args[pos] : undefined);
    switch (name) {
      case 'sp_rename': {
        const objname = arg(0, '@objname')?.value;
        const newname = arg(1, '@newname')?.value;
        const objtype = arg(2, '@objtype')?.value;
        if (objname == null || newname == null) throw new SqlError(201, `Procedure or function 'sp_rename' expects parameter '${objname == null ? '@objname' : '@newname'}', which was not supplied.`, 4, 16);
        this.rename(String(objname), String(newname), objtype == null ? undefined : String(objtype).toUpperCase());
        return;
      }
      case 'sp_executesql': {
        const sql = arg(0, '@stmt')?.value;
        if (sql == null) throw new SqlError(201, "Procedure or function 'sp_executesql' expects parameter '@statement', which was not supplied.", 4, 16);
        const declared = arg(1, '@params')?.value;
        const params = new Map<string, { type: SqlType; value: Value }>();
        if (declared != null) {
          const decls = parseParameterDeclarations(String(declared));
          const rest = args.slice(2);
          decls.forEach((d, i) => {
            const supplied = rest.find((a) => a.name === d.name.toLowerCase()) ?? (rest[i]?.name === undefined ? rest[i] : undefined);
            params.set(d.name.toLowerCase(), { type: d.type, value: supplied ? coerce(supplied.value, d.type) : null });
          });
        }
        this.runNested(String(sql), params);
        return;
      }
      default:
        throw sqlErrors.unknownProcedure(stmt.procedure.text);
    }
  }

  private rename(objname: string, newname: string, objtype?: string): void {
    const db = currentDatabase(this.ctx);
    // @objname is parsed like PARSENAME: [bracketed]] parts] and "quoted" parts may contain dots.
    const parts = splitObjectName(objname);
    const info: InfoMessage = { number: 15477, message: 'Caution: Changing any part of an object name could break scripts and stored procedures.', state: 1, severity: 10 };
    if (objtype === 'COLUMN') {
      const column = parts.pop()!;
      const tableName = parts.pop();
      const schema = parts.pop() ?? 'dbo';
      const table = tableName ? db.table(schema, tableName) : undefined;
      const idx = table ? table.columnIndex(column) : -1;
      if (!table || idx < 0) throw sqlErrors.renameAmbiguous();
      if (table.columnIndex(newname) >= 0) throw new SqlError(15335, `Error: The new name '${newname}' is already in use as a COLUMN name and would cause a duplicate that is not permitted.`, 1, 11);
      touchTable(this.ctx, table);
      table.columns = table.columns.map((c, i) => (i === idx ? { ...c, name: newname } : c));
      this.push({ kind: 'exec', done: true, infos: [info] });
      return;
    }
    if (objtype !== undefined && objtype !== 'OBJECT') throw new SqlError(15249, `Error: Explicit @objtype '${objtype}' is unrecognized.`, 1, 11);
    const name = parts.pop()!;
    const schema = parts.pop() ?? 'dbo';
    const table = db.table(schema, name);
    if (!table) throw sqlErrors.renameAmbiguous();
    if (db.table(table.schema, newname)) throw new SqlError(15335, `Error: The new name '${newname}' is already in use as a object name and would cause a duplicate that is not permitted.`, 1, 11);
    touchDatabase(this.ctx, db);
    touchTable(this.ctx, table);
    const oldName = table.name;
    table.name = newname;
    db.rekey(table, table.schema, oldName);
    this.push({ kind: 'exec', done: true, infos: [info] });
  }

  // ---- transactions and SET ----------------------------------------------------------------
  transaction(op: 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'SAVE'): void {
    const s = this.ctx.session;
    const envChanges: EnvChange[] = [];
    switch (op) {
      case 'BEGIN':
        if (s.tranCount === 0) {
          s.undo = new UndoLog();
          s.descriptor = Buffer.alloc(8);
          s.descriptor.writeBigUInt64LE(descriptorCounter++);
          envChanges.push({ kind: 'begin', descriptor: s.descriptor });
        }
        s.tranCount++;
        break;
      case 'COMMIT':
        if (s.tranCount === 0) throw sqlErrors.commitWithoutBegin();
        s.tranCount--;
        if (s.tranCount === 0) {
          s.undo = null;
          envChanges.push({ kind: 'commit', descriptor: s.descriptor });
          s.descriptor = Buffer.alloc(8);
        }
        break;
      case 'ROLLBACK':
        if (s.tranCount === 0) throw sqlErrors.rollbackWithoutBegin();
        envChanges.push(this.rollbackAll());
        break;
      case 'SAVE':
        throw sqlErrors.notSupported('SAVE TRANSACTION');
    }
    this.push({ kind: 'tran', done: true, envChanges });
  }

  /** Rolls back the open transaction (ROLLBACK, XACT_ABORT, connection loss). */
  rollbackAll(): EnvChange {
    const s = this.ctx.session;
    s.undo?.rollback();
    s.undo = null;
    s.tranCount = 0;
    const change: EnvChange = { kind: 'rollback', descriptor: s.descriptor };
    s.descriptor = Buffer.alloc(8);
    for (const t of [...s.identityInsert]) if (!currentDatabase(this.ctx).tables.has(`${t.schema}.${t.name}`.toLowerCase())) s.identityInsert.delete(t);
    return change;
  }

  private set(stmt: Extract<Statement, { kind: 'set' }>): void {
    const options = stmt.option.split(',');
    for (const option of options) {
      if (!ACCEPTED_SET_OPTIONS.has(option)) throw sqlErrors.unknownSetOption(option);
      const required = DEFAULT_ONLY[option];
      if (required !== undefined && stmt.value !== required) throw sqlErrors.notSupported(`SET ${option} ${stmt.value}`);
      if (option === 'STATISTICS' && stmt.value !== 'OFF') throw sqlErrors.notSupported('SET STATISTICS');
      if (option === 'XACT_ABORT') this.ctx.session.xactAbort = stmt.value === 'ON';
      if (option === 'NOCOUNT') this.ctx.session.noCount = stmt.value === 'ON';
      if (option === 'IDENTITY_INSERT') {
        const { table } = this.table(stmt.table!);
        if (table.identityColumn() < 0) throw new SqlError(8106, `Table '${table.name}' does not have the identity property. Cannot perform SET operation.`, 1, 16);
        if (stmt.value === 'ON') this.ctx.session.identityInsert.add(table);
        else this.ctx.session.identityInsert.delete(table);
      }
    }
    this.push({ kind: 'set', done: false });
  }
}


function tableScope(table: Table, qualifiers: string[]): ScopeColumn[] {
  return table.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, identity: c.identity !== undefined, fromTable: true, qualifiers }));
}

function qualifiersFor(name: ObjectName, table: Table): string[] {
  const last = name.parts[name.parts.length - 1].toLowerCase();
  return [last, `${table.schema}.${table.name}`.toLowerCase()];
}

function coerceForKey(v: Value, column: Column): Value {
  try {
    return coerce(v, column.type);
  } catch {
    return v;
  }
}

/** [targetIndex, combinedSourceIndex] pairs if `on` is only ANDed target = source equalities. */
function equiJoinPairs(on: Expr, scope: ScopeColumn[], width: number): [number, number][] | undefined {
  const pairs: [number, number][] = [];
  const visit = (e: Expr): boolean => {
    if (e.kind === 'binary' && e.op === 'AND') return visit(e.left) && visit(e.right);
    if (e.kind === 'binary' && e.op === '=' && e.left.kind === 'column' && e.right.kind === 'column') {
      const a = resolveColumn(scope, e.left.parts, e.left.text);
      const b = resolveColumn(scope, e.right.parts, e.right.text);
      if (a < width && b >= width) pairs.push([a, b]);
      else if (b < width && a >= width) pairs.push([b, a]);
      else return false;
      return true;
    }
    return false;
  };
  return visit(on) && pairs.length > 0 ? pairs : undefined;
}

/**
 * ORDER BY: evaluates each key once per row into a column of keys, then sorts row indexes
 * (no per-row wrapper objects). NULLs sort first ascending, as in SQL Server; numbers and
 * date/time values compare without the general conversion rules.
 */
function sortRows(rows: readonly Value[][], keys: { eval: (r: Value[]) => Value; desc: boolean }[]): Value[][] {
  const count = rows.length;
  const columns = keys.map((k) => {
    const col = new Array<Value>(count);
    for (let i = 0; i < count; i++) col[i] = k.eval(rows[i] as Value[]);
    return col;
  });
  const order = new Array<number>(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const compareKey = (col: Value[], a: number, b: number): number => {
    const x = col[a];
    const y = col[b];
    if (x === y) return 0;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (x instanceof Temporal && y instanceof Temporal) return x.compare(y);
    return compareValues(x, y);
  };
  order.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const c = compareKey(columns[k], a, b);
      if (c !== 0) return keys[k].desc ? -c : c;
    }
    return a - b; // stable
  });
  const out = new Array<Value[]>(count);
  for (let i = 0; i < count; i++) out[i] = rows[order[i]] as Value[];
  return out;
}
