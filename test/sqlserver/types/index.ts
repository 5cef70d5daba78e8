import { sqlErrors } from '../errors';
import { binaryFamily } from './binary';
import { bitFamily } from './bit';
import { characterFamily } from './character';
import { datetimeFamily } from './datetime';
import { decimalFamily } from './decimal';
import { floatFamily } from './float';
import { guidFamily } from './guid';
import { integerFamily } from './integer';
import { moneyFamily } from './money';
import { temporalFamily } from './temporal';
import { isMax, MAX_LENGTH, type SqlType, type TypeFamily, type TypeName, type WireReader, type WireTypeInfo } from './sql-type';
import { Decimal, Temporal, temporalFromDate, type Value } from './values';

export * from './sql-type';
export * from './values';

const FAMILIES: TypeFamily[] = [
  integerFamily, bitFamily, decimalFamily, moneyFamily, floatFamily,
  temporalFamily, datetimeFamily, characterFamily, binaryFamily, guidFamily,
];

const BY_NAME = new Map<string, TypeFamily>();
const BY_WIRE_ID = new Map<number, TypeFamily>();
for (const f of FAMILIES) {
  for (const n of f.names) BY_NAME.set(n, f);
  for (const id of f.wireIds) BY_WIRE_ID.set(id, f);
}

/** Type names that are spelled differently in T-SQL but mean a known type. */
const ALIASES: Record<string, TypeName> = {
  integer: 'int', dec: 'decimal', 'double precision': 'float', character: 'char',
  'char varying': 'varchar', 'character varying': 'varchar', 'national character': 'nchar',
  'national char': 'nchar', 'national character varying': 'nvarchar', 'national char varying': 'nvarchar',
  'binary varying': 'varbinary', rowversion: 'binary', sysname: 'nvarchar',
};

export function familyOf(t: SqlType): TypeFamily {
  return BY_NAME.get(t.name)!;
}

/** Resolves a type name as written in T-SQL (case-insensitive) or raises 2715. */
export function resolveTypeName(name: string): TypeName {
  const lower = name.toLowerCase();
  if (BY_NAME.has(lower)) return lower as TypeName;
  const alias = ALIASES[lower];
  if (alias) return alias;
  throw sqlErrors.unknownType(name);
}

export function normalizeType(t: SqlType): SqlType {
  if (t.name === ('sysname' as TypeName)) return { name: 'nvarchar', length: 128 };
  return familyOf(t).normalize(t);
}

export function declaration(t: SqlType): string {
  return familyOf(t).declaration(t);
}

/** Implicit conversion on assignment; NULL stays NULL. */
export function coerce(value: Value, t: SqlType): Value {
  return value === null ? null : familyOf(t).coerce(value, t);
}

/** Reads one TYPE_INFO (type id byte first) from a client message. */
export function readTypeInfo(r: WireReader): WireTypeInfo {
  const id = r.u8();
  const family = BY_WIRE_ID.get(id);
  if (!family) {
    throw sqlErrors.unsupportedType(`Data type 0x${id.toString(16).toUpperCase()} is unknown or not supported by this server.`);
  }
  return family.readTypeInfo(id, r);
}

export function valueReaderFor(info: WireTypeInfo) {
  return BY_WIRE_ID.get(info.id)!.valueReader(info);
}

/** The numbers schema-discovery views report for a type. */
export interface TypeMetadata {
  systemTypeId: number;
  /** sys.columns.max_length: bytes, -1 for max. */
  maxLength: number;
  precision: number;
  scale: number;
  characterMaximumLength: number | null;
  characterOctetLength: number | null;
  numericPrecision: number | null;
  numericPrecisionRadix: number | null;
  numericScale: number | null;
  datetimePrecision: number | null;
}

const SYSTEM_TYPE_ID: Record<TypeName, number> = {
  tinyint: 48, smallint: 52, int: 56, bigint: 127, bit: 104, decimal: 106, numeric: 108,
  money: 60, smallmoney: 122, real: 59, float: 62, date: 40, time: 41, datetime: 61,
  smalldatetime: 58, datetime2: 42, datetimeoffset: 43, char: 175, varchar: 167, nchar: 239,
  nvarchar: 231, binary: 173, varbinary: 165, uniqueidentifier: 36,
};

export const ALL_TYPE_NAMES = Object.keys(SYSTEM_TYPE_ID) as TypeName[];

export function typeMetadata(t: SqlType): TypeMetadata {
  const m: TypeMetadata = {
    systemTypeId: SYSTEM_TYPE_ID[t.name], maxLength: 0, precision: 0, scale: 0,
    characterMaximumLength: null, characterOctetLength: null, numericPrecision: null,
    numericPrecisionRadix: null, numericScale: null, datetimePrecision: null,
  };
  const exact = (p: number, s: number, bytes: number) => {
    Object.assign(m, { maxLength: bytes, precision: p, scale: s, numericPrecision: p, numericPrecisionRadix: 10, numericScale: s });
  };
  const temporal = (p: number, s: number, bytes: number, dtp: number) => {
    Object.assign(m, { maxLength: bytes, precision: p, scale: s, datetimePrecision: dtp });
  };
  const scale = t.scale ?? 0;
  const timeLen = scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
  switch (t.name) {
    case 'tinyint': exact(3, 0, 1); break;
    case 'smallint': exact(5, 0, 2); break;
    case 'int': exact(10, 0, 4); break;
    case 'bigint': exact(19, 0, 8); break;
    case 'bit': Object.assign(m, { maxLength: 1, precision: 1 }); break;
    case 'decimal': case 'numeric': {
      const p = t.precision!;
      exact(p, scale, p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17);
      break;
    }
    case 'money': exact(19, 4, 8); break;
    case 'smallmoney': exact(10, 4, 4); break;
    case 'real': Object.assign(m, { maxLength: 4, precision: 24, numericPrecision: 24, numericPrecisionRadix: 2 }); break;
    case 'float': Object.assign(m, { maxLength: 8, precision: 53, numericPrecision: 53, numericPrecisionRadix: 2 }); break;
    case 'date': temporal(10, 0, 3, 0); break;
    case 'time': temporal(scale === 0 ? 8 : 9 + scale, scale, timeLen, scale); break;
    case 'datetime2': temporal(scale === 0 ? 19 : 20 + scale, scale, timeLen + 3, scale); break;
    case 'datetimeoffset': temporal(scale === 0 ? 26 : 27 + scale, scale, timeLen + 5, scale); break;
    case 'datetime': temporal(23, 3, 8, 3); break;
    case 'smalldatetime': temporal(16, 0, 4, 0); break;
    case 'char': case 'varchar': case 'binary': case 'varbinary': {
      const n = isMax(t) ? -1 : t.length!;
      Object.assign(m, { maxLength: n, characterMaximumLength: n, characterOctetLength: n });
      break;
    }
    case 'nchar': case 'nvarchar': {
      const n = isMax(t) ? -1 : t.length!;
      Object.assign(m, { maxLength: n === -1 ? -1 : n * 2, characterMaximumLength: n, characterOctetLength: n === -1 ? -1 : n * 2 });
      break;
    }
    case 'uniqueidentifier': m.maxLength = 16; break;
  }
  return m;
}

/** Builds a type from a T-SQL name and its (n) / (p,s) / (max) arguments, normalized. */
export function makeType(name: string, args: (number | 'max')[] = []): SqlType {
  const typeName = resolveTypeName(name);
  if (name.toLowerCase() === 'sysname') return { name: 'nvarchar', length: 128 };
  const [a, b] = args;
  const numeric = (x: number | 'max' | undefined) => (x === 'max' ? MAX_LENGTH : x);
  switch (typeName) {
    case 'decimal': case 'numeric':
      return normalizeType({ name: typeName, precision: numeric(a), scale: numeric(b) ?? (a === undefined ? undefined : 0) });
    case 'time': case 'datetime2': case 'datetimeoffset':
      return normalizeType({ name: typeName, scale: numeric(a) });
    case 'float':
      return normalizeType({ name: typeName, precision: numeric(a) });
    case 'char': case 'varchar': case 'nchar': case 'nvarchar': case 'binary': case 'varbinary':
      return normalizeType({ name: typeName, length: numeric(a) });
    default:
      return normalizeType({ name: typeName });
  }
}

/** Parses a type written as text, e.g. "decimal(18, 2)" or "nvarchar(max)" (seeding API). */
export function parseTypeText(text: string): SqlType {
  const m = /^\s*([a-z][a-z0-9_ ]*?)\s*(?:\(\s*([^)]*)\))?\s*$/i.exec(text);
  if (!m) throw sqlErrors.unknownType(text);
  const args = m[2] === undefined ? [] : m[2].split(',').map((s) => (s.trim().toLowerCase() === 'max' ? ('max' as const) : Number(s.trim())));
  return makeType(m[1], args);
}

/** Converts a plain JS value (as tests hand them in) to the stand-in's value representation. */
export function fromJs(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return temporalFromDate(v);
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string' || Buffer.isBuffer(v)) return v;
  if (v instanceof Decimal || v instanceof Temporal) return v;
  throw new TypeError(`Unsupported value ${String(v)}`);
}
