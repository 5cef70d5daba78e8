/**
 * Can rows of the incoming columns go into an existing table? Checked before anything touches
 * the target, so a mismatch fails with the column named instead of half-way through a load.
 */
import { formatSqlType, type SqlBaseType, type SqlType } from '../../arrow/sqlType';
import { HyggeError, type ErrorContext } from '../../errors';
import type { TableColumn } from './tableSql';

const FAMILY: Record<SqlBaseType, string> = {
  tinyint: 'number', smallint: 'number', int: 'number', bigint: 'number', bit: 'number',
  decimal: 'number', numeric: 'number', money: 'number', smallmoney: 'number', real: 'number', float: 'number',
  date: 'date', datetime: 'datetime', smalldatetime: 'datetime', datetime2: 'datetime', datetimeoffset: 'datetime',
  time: 'time',
  char: 'text', varchar: 'text', nchar: 'text', nvarchar: 'text', text: 'text', ntext: 'text', xml: 'text',
  binary: 'binary', varbinary: 'binary', image: 'binary',
  uniqueidentifier: 'guid',
};

function compatible(incoming: SqlType, target: SqlType): boolean {
  const a = FAMILY[incoming.base];
  const b = FAMILY[target.base];
  if (a === b) return true;
  if (a === 'date' && b === 'datetime') return true;
  if (a === 'guid' && b === 'text') return true;
  if (a === 'text' && b === 'guid') return true;
  return false;
}

/** the target's column for each incoming column, in incoming order; throws SCHEMA_MISMATCH naming the column */
export function checkAppendable(incoming: TableColumn[], target: TableColumn[], table: string, context: ErrorContext): TableColumn[] {
  const byName = new Map(target.map((c) => [c.name.toLowerCase(), c]));
  return incoming.map((col) => {
    const found = byName.get(col.name.toLowerCase());
    if (!found) {
      throw new HyggeError('SCHEMA_MISMATCH', `column "${col.name}" does not exist in ${table} (it has ${target.map((c) => c.name).join(', ')})`, {
        context,
        hint: 'Add the column to the table, leave it out of the home, or use write: replace to recreate the table.',
      });
    }
    if (!compatible(col.sqlType, found.sqlType)) {
      throw new HyggeError('SCHEMA_MISMATCH', `column "${col.name}" is ${formatSqlType(col.sqlType)} in the incoming data but ${formatSqlType(found.sqlType)} in ${table}`, {
        context,
        hint: 'Make the types agree (cast in the home’s query), or use write: replace to recreate the table.',
      });
    }
    return found;
  });
}
