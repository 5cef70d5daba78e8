/**
 * Column projection in the user's order, and putting the file's schema back on batches.
 *
 * parquet-wasm projects in file order, and the batches it streams do not carry the schema's
 * key/value metadata; the file-level schema (from the footer) does. So every batch is
 * re-labelled with the projected file schema, zero-copy (only the column list changes).
 * (apache-arrow's RecordBatch.select keeps file order, hence selectAt.)
 */
import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';

export interface Projection {
  /** the schema batches will carry: projected, in the user's order, with the file's metadata */
  schema: Schema;
  /** apply to a batch read with `columns` (file order) or without (all columns) */
  apply(batch: RecordBatch): RecordBatch;
}

export function projectionOf(fileSchema: Schema, columns: string[] | undefined): Projection {
  const names = columns ?? fileSchema.fields.map((f) => f.name);
  const schema = new Schema(
    names.map((n) => fileSchema.fields.find((f) => f.name === n)!),
    fileSchema.metadata,
  );
  return {
    schema,
    apply(batch) {
      const children = schema.fields.map((f) => {
        const i = batch.schema.fields.findIndex((g) => g.name === f.name);
        return batch.data.children[i]!;
      });
      return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }));
    },
  };
}
