import { SqlError, sqlErrors } from '../errors';
import { coerce, Decimal, POW10, Temporal, temporalFromDate, type SqlType, type Value } from '../types';
import { sourceTypeName, toDouble } from '../types/convert';
import type { Expr } from './ast';
import { compareValues, foldString } from './compare';
import { callFunction, isAggregate } from './functions';
import type { ExecContext } from './context';

type NonNull = Exclude<Value, null>;

/** A column visible to expressions: `qualifiers` are the lower-case names it can be prefixed with. */
export interface ScopeColumn {
  qualifiers: string[];
  name: string;
  type: SqlType;
  nullable: boolean;
  identity?: boolean;
  fromTable?: boolean;
}

export interface Compiled {
  eval: (row: Value[]) => Value;
  type: SqlType;
  nullable: boolean;
  /** Set when the expression is a plain column reference (projection fast path). */
  columnIndex?: number;
  /** Column name a SELECT item gets when it has no alias. */
  name: string;
  /** Set for literals: the value, known at compile time. */
  constant?: { value: Value };
}

/** Aggregates found while compiling a SELECT list; evaluated over the filtered rows. */
export interface AggregateSlot {
  name: string;
  arg?: Compiled;
  star: boolean;
  distinct: boolean;
  type: SqlType;
}

export interface CompileOptions {
  scope: ScopeColumn[];
  ctx: ExecContext;
  /** When given, aggregate calls are allowed and collected here. */
  aggregates?: AggregateSlot[];
  /** Values of the aggregates during projection of an aggregate query. */
  aggregateValues?: Value[];
  /** Within an aggregate query, column references outside aggregates are errors (8120)... */
  inAggregateQuery?: boolean;
  /** ...unless they are GROUP BY columns (scope indexes); those read the group's first row. */
  groupColumns?: Set<number>;
  /** When given, the scope indexes of the columns the expression reads are added here. */
  columnsRead?: Set<number>;
}

export function resolveColumn(scope: ScopeColumn[], parts: string[], text: string): number {
  const name = parts[parts.length - 1].toLowerCase();
  const qualifier = parts.length > 1 ? parts.slice(0, -1).join('.').toLowerCase() : undefined;
  let found = -1;
  for (let i = 0; i < scope.length; i++) {
    const c = scope[i];
    if (c.name.toLowerCase() !== name) continue;
    if (qualifier !== undefined && !c.qualifiers.includes(qualifier)) continue;
    if (found >= 0) throw sqlErrors.ambiguousColumn(parts[parts.length - 1]);
    found = i;
  }
  if (found < 0) {
    if (qualifier !== undefined && !scope.some((c) => c.qualifiers.includes(qualifier))) throw sqlErrors.multipartNotBound(text);
    throw sqlErrors.invalidColumn(parts[parts.length - 1]);
  }
  return found;
}

const INT: SqlType = { name: 'int' };
const BIT: SqlType = { name: 'bit' };

const truth = (v: Value): boolean | null => (v === null ? null : v === true);

/** Three-valued logic results are represented as true / false / null. */
export function compile(e: Expr, o: CompileOptions): Compiled {
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return { eval: () => v, type: e.type, nullable: v === null, name: '', constant: { value: v } };
    }
    case 'column': {
      const idx = resolveColumn(o.scope, e.parts, e.text);
      if (o.inAggregateQuery && !o.groupColumns?.has(idx)) throw sqlErrors.notInGroupBy(e.text);
      o.columnsRead?.add(idx);
      const c = o.scope[idx];
      return { eval: (row) => row[idx], type: c.type, nullable: c.nullable, columnIndex: idx, name: c.name };
    }
    case 'var': {
      const key = e.name.toLowerCase();
      const variable = o.ctx.session.variables.get(key);
      if (!variable) throw sqlErrors.mustDeclare(e.name);
      return { eval: () => o.ctx.session.variables.get(key)!.value, type: variable.type, nullable: true, name: '' };
    }
    case 'sysvar':
      return systemVariable(e.name, o.ctx);
    case 'unary': {
      const x = compile(e.operand, o);
      if (e.op === 'NOT') return { eval: (row) => { const t = truth(x.eval(row)); return t === null ? null : !t; }, type: BIT, nullable: true, name: '' };
      if (e.op === '+') return x;
      return { eval: (row) => negate(x.eval(row)), type: x.type, nullable: x.nullable, name: '' };
    }
    case 'binary':
      return compileBinary(e.op, compile(e.left, o), compile(e.right, o));
    case 'isnull': {
      const x = compile(e.operand, o);
      return { eval: (row) => (x.eval(row) === null) !== e.not, type: BIT, nullable: false, name: '' };
    }
    case 'in': {
      const x = compile(e.operand, o);
      const list = e.list.map((l) => compile(l, o));
      return {
        eval: (row) => {
          const v = x.eval(row);
          if (v === null) return null;
          let sawNull = false;
          for (const l of list) {
            const w = l.eval(row);
            if (w === null) sawNull = true;
            else if (compareValues(v, w) === 0) return !e.not;
          }
          return sawNull ? null : e.not;
        },
        type: BIT, nullable: true, name: '',
      };
    }
    case 'between': {
      const x = compile(e.operand, o);
      const lo = compile(e.low, o);
      const hi = compile(e.high, o);
      return {
        eval: (row) => {
          const v = x.eval(row);
          const a = lo.eval(row);
          const b = hi.eval(row);
          if (v === null || a === null || b === null) return null;
          return (compareValues(v, a) >= 0 && compareValues(v, b) <= 0) !== e.not;
        },
        type: BIT, nullable: true, name: '',
      };
    }
    case 'like': {
      const x = compile(e.operand, o);
      const p = compile(e.pattern, o);
      let cachedPattern: string | undefined;
      let cachedRegex: RegExp | undefined;
      return {
        eval: (row) => {
          const v = x.eval(row);
          const pat = p.eval(row);
          if (v === null || pat === null) return null;
          const ps = String(pat);
          if (ps !== cachedPattern) {
            cachedPattern = ps;
            cachedRegex = likeToRegex(ps);
          }
          return cachedRegex!.test(foldString(String(v))) !== e.not;
        },
        type: BIT, nullable: true, name: '',
      };
    }
    case 'cast': {
      const x = compile(e.operand, o);
      return { eval: (row) => castValue(x.eval(row), x.type, e.type), type: e.type, nullable: x.nullable, name: '' };
    }
    case 'case': {
      const operand = e.operand ? compile(e.operand, o) : undefined;
      const whens = e.whens.map((w) => ({ when: compile(w.when, o), then: compile(w.then, o) }));
      const otherwise = e.else ? compile(e.else, o) : undefined;
      return {
        eval: (row) => {
          const ov = operand?.eval(row);
          for (const w of whens) {
            const wv = w.when.eval(row);
            const hit = operand ? ov !== null && ov !== undefined && wv !== null && compareValues(ov, wv) === 0 : wv === true;
            if (hit) return w.then.eval(row);
          }
          return otherwise ? otherwise.eval(row) : null;
        },
        type: whens[0].then.type, nullable: true, name: '',
      };
    }
    case 'call': {
      if (isAggregate(e.name)) {
        if (!o.aggregates || !o.aggregateValues) {
          const err = new SqlError(147, 'An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a HAVING clause or a select list, and the column being aggregated is an outer reference.', 1, 15, 'batch');
          throw err;
        }
        if (e.args.length > 1) throw new SqlError(174, `The ${e.name.toLowerCase()} function requires 1 argument(s).`, 1, 15, 'batch');
        const arg = e.star ? undefined : compile(e.args[0], { ...o, aggregates: undefined, aggregateValues: undefined, inAggregateQuery: false });
        if (e.star && e.name !== 'COUNT' && e.name !== 'COUNT_BIG') throw sqlErrors.syntax('*');
        const type = aggregateType(e.name, arg);
        const slot = o.aggregates.length;
        o.aggregates.push({ name: e.name, arg, star: e.star, distinct: e.distinct, type });
        const values = o.aggregateValues;
        return { eval: () => values[slot], type, nullable: e.name !== 'COUNT' && e.name !== 'COUNT_BIG', name: '' };
      }
      return callFunction(e.name, e.args.map((a) => compile(a, o)), o.ctx);
    }
  }
}

function systemVariable(name: string, ctx: ExecContext): Compiled {
  const s = ctx.session;
  const nvarchar = (n: number): SqlType => ({ name: 'nvarchar', length: n });
  const fixed = (type: SqlType, f: () => Value, nullable = false): Compiled => ({ eval: f, type, nullable, name: '' });
  switch (name) {
    case '@@VERSION': return fixed(nvarchar(300), () => VERSION_TEXT);
    case '@@SPID': return fixed({ name: 'smallint' }, () => s.spid);
    case '@@TRANCOUNT': return fixed(INT, () => s.tranCount);
    case '@@ROWCOUNT': return fixed(INT, () => s.rowCount);
    case '@@IDENTITY': return fixed({ name: 'numeric', precision: 38, scale: 0 }, () => s.scopeIdentity, true);
    case '@@SERVERNAME': return fixed(nvarchar(128), () => s.serverName);
    case '@@SERVICENAME': return fixed(nvarchar(128), () => 'MSSQLSERVER');
    case '@@LANGUAGE': return fixed(nvarchar(128), () => 'us_english');
    case '@@ERROR': return fixed(INT, () => 0);
    case '@@MAX_PRECISION': return fixed({ name: 'tinyint' }, () => 38);
    case '@@DATEFIRST': return fixed({ name: 'tinyint' }, () => 7);
    case '@@TEXTSIZE': return fixed(INT, () => 2147483647);
    case '@@OPTIONS': return fixed(INT, () => 5496);
    default: throw sqlErrors.mustDeclare(name);
  }
}

export const VERSION_TEXT =
  'Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) \n\tOct  8 2022 05:58:25 \n\tCopyright (C) 2022 Microsoft Corporation\n\thygge TDS stand-in (test double) on Linux\n';

function aggregateType(name: string, arg?: Compiled): SqlType {
  switch (name) {
    case 'COUNT': return INT;
    case 'COUNT_BIG': return { name: 'bigint' };
    case 'SUM': {
      const t = arg!.type;
      if (t.name === 'tinyint' || t.name === 'smallint' || t.name === 'int') return INT;
      if (t.name === 'decimal' || t.name === 'numeric') return { name: 'decimal', precision: 38, scale: t.scale };
      if (t.name === 'real') return { name: 'float' };
      return t;
    }
    case 'AVG': {
      const t = arg!.type;
      if (t.name === 'decimal' || t.name === 'numeric') return { name: 'decimal', precision: 38, scale: Math.max(6, t.scale ?? 0) };
      if (t.name === 'real') return { name: 'float' };
      return t.name === 'tinyint' || t.name === 'smallint' ? INT : t;
    }
    default: return arg!.type; // MAX, MIN
  }
}

/** Computes an aggregate over rows (rows already filtered by WHERE). */
export function computeAggregate(slot: AggregateSlot, rows: readonly Value[][]): Value {
  if (slot.star) return slot.name === 'COUNT_BIG' ? BigInt(rows.length) : rows.length;
  let values: Value[] = [];
  for (const r of rows) {
    const v = slot.arg!.eval(r);
    if (v !== null) values.push(v);
  }
  if (slot.distinct) {
    const seen: Value[] = [];
    for (const v of values) if (!seen.some((s) => compareValues(s!, v!) === 0)) seen.push(v);
    values = seen;
  }
  switch (slot.name) {
    case 'COUNT': return values.length;
    case 'COUNT_BIG': return BigInt(values.length);
    case 'MAX': case 'MIN': {
      let best: Value = null;
      const sign = slot.name === 'MAX' ? 1 : -1;
      for (const v of values) if (best === null || compareValues(v!, best) * sign > 0) best = v;
      return best;
    }
    case 'SUM': case 'AVG': {
      if (values.length === 0) return null;
      let sum: Value = values[0];
      for (let i = 1; i < values.length; i++) sum = arithmetic('+', sum!, values[i]!);
      const total = slot.name === 'SUM' ? sum : arithmetic('/', sum!, values.length);
      return coerce(total, slot.type);
    }
    default: throw sqlErrors.unknownFunction(slot.name);
  }
}

export function isAggregateQuery(items: Expr[]): boolean {
  const visit = (e: Expr): boolean => {
    switch (e.kind) {
      case 'call': return isAggregate(e.name) || e.args.some(visit);
      case 'unary': return visit(e.operand);
      case 'binary': return visit(e.left) || visit(e.right);
      case 'isnull': return visit(e.operand);
      case 'in': return visit(e.operand) || e.list.some(visit);
      case 'between': return visit(e.operand) || visit(e.low) || visit(e.high);
      case 'like': return visit(e.operand) || visit(e.pattern);
      case 'cast': return visit(e.operand);
      case 'case': return (e.operand ? visit(e.operand) : false) || e.whens.some((w) => visit(w.when) || visit(w.then)) || (e.else ? visit(e.else) : false);
      default: return false;
    }
  };
  return items.some(visit);
}

function likeToRegex(pattern: string): RegExp {
  let re = '^';
  const p = foldString(pattern);
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if (c === '[') {
      const end = p.indexOf(']', i + 1);
      if (end < 0) { re += '\\['; continue; }
      let body = p.slice(i + 1, end);
      if (body.startsWith('^')) body = '^' + body.slice(1).replace(/[\\\]]/g, '\\$&');
      else body = body.replace(/[\\\]]/g, '\\$&');
      re += `[${body}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re + ' *$', 's');
}

function negate(v: Value): Value {
  if (v === null) return null;
  if (typeof v === 'number') return -v;
  if (typeof v === 'bigint') return -v;
  if (v instanceof Decimal) return new Decimal(-v.unscaled, v.scale);
  throw sqlErrors.typeClash(sourceTypeName(v), 'numeric');
}

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);

const CONVERTIBLE = new Set(['date', 'time', 'datetime2', 'datetimeoffset', 'datetime', 'smalldatetime', 'uniqueidentifier']);

/** Pre-converts a string literal to the other operand's date/time/guid type (errors stay lazy). */
function convertConstant(c: Compiled, otherType: SqlType): Compiled {
  if (!c.constant || typeof c.constant.value !== 'string' || !CONVERTIBLE.has(otherType.name)) return c;
  let converted: Value;
  try {
    // varchar has the lowest type precedence: the literal converts to the column's type.
    converted = coerce(c.constant.value, otherType);
  } catch {
    return c;
  }
  return { ...c, eval: () => converted, type: otherType, constant: { value: converted } };
}

function compileBinary(op: string, l: Compiled, r: Compiled): Compiled {
  if (op === 'AND') {
    return {
      eval: (row) => {
        const a = l.eval(row);
        if (a === false) return false;
        const b = r.eval(row);
        if (b === false) return false;
        return a === null || b === null ? null : true;
      },
      type: BIT, nullable: true, name: '',
    };
  }
  if (op === 'OR') {
    return {
      eval: (row) => {
        const a = l.eval(row);
        if (a === true) return true;
        const b = r.eval(row);
        if (b === true) return true;
        return a === null || b === null ? null : false;
      },
      type: BIT, nullable: true, name: '',
    };
  }
  if (COMPARISONS.has(op)) {
    // A string literal compared with a typed column converts once, not once per row.
    l = convertConstant(l, r.type);
    r = convertConstant(r, l.type);
    const test = comparisonTest(op);
    return {
      eval: (row) => {
        const a = l.eval(row);
        if (a === null) return null;
        const b = r.eval(row);
        if (b === null) return null;
        return test(compareValues(a, b));
      },
      type: BIT, nullable: true, name: '',
    };
  }
  const type = arithmeticType(op, l.type, r.type);
  return {
    eval: (row) => {
      const a = l.eval(row);
      const b = r.eval(row);
      if (a === null || b === null) return null;
      return arithmetic(op, a, b, type);
    },
    type, nullable: l.nullable || r.nullable, name: '',
  };
}

function comparisonTest(op: string): (c: number) => boolean {
  switch (op) {
    case '=': return (c) => c === 0;
    case '<>': return (c) => c !== 0;
    case '<': return (c) => c < 0;
    case '<=': return (c) => c <= 0;
    case '>': return (c) => c > 0;
    default: return (c) => c >= 0;
  }
}

const RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, money: 5, smallmoney: 5, decimal: 6, numeric: 6, real: 7, float: 8 };

function arithmeticType(op: string, a: SqlType, b: SqlType): SqlType {
  const isText = (t: SqlType) => ['char', 'varchar', 'nchar', 'nvarchar'].includes(t.name);
  if (op === '+' && isText(a) && isText(b)) {
    const unicode = a.name.startsWith('n') || b.name.startsWith('n');
    const len = (a.length ?? 1) < 0 || (b.length ?? 1) < 0 ? -1 : Math.min((a.length ?? 1) + (b.length ?? 1), unicode ? 4000 : 8000);
    return { name: unicode ? 'nvarchar' : 'varchar', length: len };
  }
  const ra = RANK[a.name] ?? 0;
  const rb = RANK[b.name] ?? 0;
  const t = ra >= rb ? a : b;
  if (t.name === 'decimal' || t.name === 'numeric') return { name: 'numeric', precision: 38, scale: Math.max(a.scale ?? 0, b.scale ?? 0, op === '/' ? 6 : 0) };
  if (t.name === 'tinyint' || t.name === 'smallint') return INT;
  if (t.name === 'real') return { name: 'float' };
  if (RANK[t.name] === undefined) return isText(a) && isText(b) ? a : { name: 'float' };
  return t;
}

function toDecimalExact(v: NonNull): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return new Decimal(v, 0);
  if (typeof v === 'boolean') return new Decimal(v ? 1n : 0n, 0);
  if (typeof v === 'number' && Number.isInteger(v)) return new Decimal(BigInt(v), 0);
  const d = Decimal.parse(String(v));
  if (!d) throw sqlErrors.conversion('varchar', String(v), 'numeric');
  return d;
}

/** + - * / % on two non-null values, following SQL Server's type precedence. */
export function arithmetic(op: string, a: NonNull, b: NonNull, type?: SqlType): Value {
  if (typeof a === 'string' && typeof b === 'string') {
    if (op !== '+') throw new SqlError(8117, `Operand data type varchar is invalid for ${opName(op)} operator.`, 1, 16);
    return a + b;
  }
  if (a instanceof Temporal || b instanceof Temporal || Buffer.isBuffer(a) || Buffer.isBuffer(b)) {
    throw new SqlError(8117, `Operand data type ${sourceTypeName(a instanceof Temporal || Buffer.isBuffer(a) ? a : b)} is invalid for ${opName(op)} operator.`, 1, 16);
  }
  const isFloat = (v: NonNull) => typeof v === 'number' && !Number.isInteger(v);
  if (isFloat(a) || isFloat(b) || type?.name === 'float' || type?.name === 'real') {
    const x = toDouble(a);
    const y = toDouble(b);
    if ((op === '/' || op === '%') && y === 0) throw sqlErrors.divideByZero();
    return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  }
  if (a instanceof Decimal || b instanceof Decimal || typeof a === 'string' || typeof b === 'string') {
    const x = toDecimalExact(a);
    const y = toDecimalExact(b);
    const scale = Math.max(x.scale, y.scale);
    const xs = x.rescale(scale).unscaled;
    const ys = y.rescale(scale).unscaled;
    switch (op) {
      case '+': return new Decimal(xs + ys, scale);
      case '-': return new Decimal(xs - ys, scale);
      case '*': return new Decimal(x.unscaled * y.unscaled, x.scale + y.scale);
      case '%': if (ys === 0n) throw sqlErrors.divideByZero(); return new Decimal(xs % ys, scale);
      default: {
        if (ys === 0n) throw sqlErrors.divideByZero();
        const outScale = Math.max(6, scale);
        return new Decimal((xs * POW10[outScale]) / ys, outScale);
      }
    }
  }
  // integers: bigint if either side is bigint, else int with overflow checks
  const big = typeof a === 'bigint' || typeof b === 'bigint' || type?.name === 'bigint';
  const x = toBigInt(a);
  const y = toBigInt(b);
  let r: bigint;
  switch (op) {
    case '+': r = x + y; break;
    case '-': r = x - y; break;
    case '*': r = x * y; break;
    case '/': if (y === 0n) throw sqlErrors.divideByZero(); r = x / y; break;
    default: if (y === 0n) throw sqlErrors.divideByZero(); r = x % y; break;
  }
  if (big) {
    if (r < -(2n ** 63n) || r >= 2n ** 63n) throw sqlErrors.overflow('bigint');
    return r;
  }
  if (r < -2147483648n || r > 2147483647n) throw sqlErrors.overflow('int');
  return Number(r);
}

function toBigInt(v: NonNull): bigint {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return BigInt(v as number | bigint);
}

function opName(op: string): string {
  return { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' }[op] ?? op;
}

/** CAST/CONVERT: like assignment, plus the explicit-only conversions (numbers to text). */
export function castValue(v: Value, _from: SqlType, to: SqlType): Value {
  if (v === null) return null;
  if (to.name === 'datetime' && typeof v === 'number') {
    // CAST(int AS datetime) counts days from 1900-01-01
    return coerce(temporalFromDate(new Date(Date.UTC(1900, 0, 1) + v * 86_400_000)), to);
  }
  return coerce(v, to);
}
