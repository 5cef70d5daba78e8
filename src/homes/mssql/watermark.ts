/**
 * The highest watermark value a read saw, compared in the column's own order and kept as the
 * exact text SQL Server converts back (`CAST(@watermark AS <type>)`).
 */
import * as arrow from 'apache-arrow';
import { readDecimal128, textFromUnscaled } from '../../arrow/decimal128';
import type { SqlType } from '../../arrow/sqlType';
import { formatSqlDateTime2, formatSqlDateTimeOffset } from '../../arrow/temporal';
import { HyggeError } from '../../errors';

type Key = bigint | number | string;

export class WatermarkTracker {
  private best: { key: Key; text: string } | undefined;

  constructor(
    private readonly column: string,
    private readonly sqlType: SqlType,
  ) {
    if (['binary', 'varbinary', 'image', 'bit', 'text', 'ntext', 'xml', 'uniqueidentifier', 'real', 'float'].includes(sqlType.base)) {
      throw new HyggeError('CONFIG_INVALID', `watermark column "${column}" is ${sqlType.base}, which cannot order rows reliably`, {
        hint: 'Use an increasing integer, decimal, date or datetime column (e.g. a modified_at or an identity id).',
      });
    }
  }

  /** looks at one batch's watermark column (and the offsets sibling for datetimeoffset) */
  observe(batch: arrow.RecordBatch): void {
    const index = batch.schema.fields.findIndex((f) => f.name === this.column);
    const data = batch.data.children[index]!;
    const offsets = this.sqlType.base === 'datetimeoffset' ? batch.data.children[index + 1] : undefined;
    const vector = arrow.makeVector(data);
    for (let row = 0; row < data.length; row++) {
      if (!data.getValid(row)) continue;
      const key = this.keyOf(data, vector, row);
      if (this.best === undefined || key > this.best.key) this.best = { key, text: this.textOf(data, offsets, vector, row) };
    }
  }

  get value(): string | undefined {
    return this.best?.text;
  }

  private keyOf(data: arrow.Data, vector: arrow.Vector, row: number): Key {
    switch (this.sqlType.base) {
      case 'decimal': case 'numeric': case 'money': case 'smallmoney':
        return readDecimal128(data.values as Uint32Array, row);
      case 'bigint': case 'datetime2': case 'datetimeoffset': case 'datetime': case 'smalldatetime': case 'time':
        return (data.values as BigInt64Array)[row]!;
      case 'tinyint': case 'smallint': case 'int': case 'date':
        return (data.values as Int32Array)[row]!;
      default:
        return String(vector.get(row));
    }
  }

  private textOf(data: arrow.Data, offsets: arrow.Data | undefined, vector: arrow.Vector, row: number): string {
    const t = this.sqlType;
    const key = this.keyOf(data, vector, row);
    switch (t.base) {
      case 'decimal': case 'numeric': return textFromUnscaled(key as bigint, t.scale ?? 0);
      case 'money': case 'smallmoney': return textFromUnscaled(key as bigint, 4);
      case 'date': return new Date((key as number) * 86_400_000).toISOString().slice(0, 10);
      case 'datetime2': case 'datetime': case 'smalldatetime': case 'time': case 'datetimeoffset': {
        const nanos = arrow.DataType.isTimestamp(data.type) || arrow.DataType.isTime(data.type) ? (data.type as arrow.Timestamp).unit === arrow.TimeUnit.NANOSECOND : false;
        const ticks = nanos ? (key as bigint) / 100n : (key as bigint) * 10n;
        if (t.base === 'datetimeoffset') return formatSqlDateTimeOffset(ticks, Number((offsets?.values as Int16Array | undefined)?.[row] ?? 0));
        const text = formatSqlDateTime2(ticks);
        return t.base === 'time' ? text.slice(11) : text;
      }
      default: return String(key);
    }
  }
}
