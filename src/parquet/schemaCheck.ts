/** Comparing and projecting Arrow schemas of the files of one entity. */
import type { Schema } from 'apache-arrow';
import { HyggeError } from '../errors';
import { didYouMean } from '../config/suggest';

/** The first difference between two schemas (names, order, types; nullability ignored), or undefined. */
export function schemaDifference(expected: Schema, actual: Schema): string | undefined {
  const a = expected.fields;
  const b = actual.fields;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (!x) return `extra column ${y!.name} (${y!.type})`;
    if (!y) return `missing column ${x.name} (${x.type})`;
    if (x.name !== y.name) return `column ${i + 1} is ${y.name}, expected ${x.name}`;
    if (String(x.type) !== String(y.type)) return `column ${x.name} is ${y.type}, expected ${x.type}`;
  }
  return undefined;
}

/** Throws CONFIG_INVALID naming the first projected column the schema lacks. */
export function assertColumnsExist(schema: Schema, columns: string[], file: string): void {
  const names = schema.fields.map((f) => f.name);
  const missing = columns.find((c) => !names.includes(c));
  if (missing === undefined) return;
  throw new HyggeError('CONFIG_INVALID', `column ${missing} is not in ${file}${didYouMean(missing, names)}`, {
    hint: `home.columns may name only columns of the file: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}.`,
    context: { file, keyPath: 'home.columns' },
  });
}
