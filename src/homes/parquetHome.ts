/**
 * Parquet files as a source, on local disk or in Blob: the files of an entity (see
 * src/parquet/sourceFiles.ts) are read one after another, each streamed in batches of
 * `batch_size` rows. Blob objects are first downloaded to a temp file (random access for the
 * footer) and the temp file is removed as soon as the file is read.
 *
 * Every file of an entity must have the same (projected) schema: otherwise SCHEMA_MISMATCH
 * names the file. A file with no rows yields one zero-row batch, so the schema still reaches
 * the store (an empty table is written, not a missing one).
 *
 * Incremental runs read new files only: the watermark is the greatest object key read, and a
 * later incremental run skips every file whose key is not greater. That fits how Parquet
 * folders grow (part numbers, date-partitioned paths); a file rewritten in place under an old
 * name is not picked up again — use full_drop for such sources.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import type { Options, ParquetHomeConfig } from '../config/schema';
import type { RunResources } from '../engine/runResources';
import { HyggeError, cancelledError, toHyggeError, type ErrorContext } from '../errors';
import { emptyBatch } from '../parquet/arrowIpc';
import { openParquetFile } from '../parquet/parquetFileReader';
import { projectionOf } from '../parquet/projection';
import { assertColumnsExist, schemaDifference } from '../parquet/schemaCheck';
import { findSourceFiles } from '../parquet/sourceFiles';
import type { EntityJob } from '../plan/job';
import type { ObjectStore } from '../storage/objectStore';
import { objectStoreFor } from '../storage/registry';
import type { EntityContext, Home } from './home';

export interface ParquetHomeParams {
  objects: ObjectStore;
  /** final: a file, a folder or a glob */
  path: string;
  columns?: string[];
  batchSize: number;
}

export function createParquetHome(config: ParquetHomeConfig, _job: EntityJob, resources: RunResources, options: Options): ParquetHome {
  return new ParquetHome({
    objects: objectStoreFor(resources, config.storage),
    path: config.path,
    columns: config.columns,
    batchSize: config.batch_size ?? options.batch_size,
  });
}

export class ParquetHome implements Home {
  private greatestKey: string | undefined;

  constructor(private readonly params: ParquetHomeParams) {}

  watermark(): string | undefined {
    return this.greatestKey;
  }

  async *read(ctx: EntityContext): AsyncIterable<RecordBatch> {
    const entity: ErrorContext = { flow: ctx.flow, entity: ctx.entity };
    try {
      yield* this.readFiles(ctx);
    } catch (err) {
      throw toHyggeError(err, entity, 'reading Parquet');
    }
  }

  private async *readFiles(ctx: EntityContext): AsyncIterable<RecordBatch> {
    const { objects, path, columns, batchSize } = this.params;
    let first: { schema: Schema; file: string } | undefined;
    const sources = await findSourceFiles(objects, path);
    const previous = ctx.previousWatermark;
    this.greatestKey = sources.reduce<string | undefined>((max, s) => (max === undefined || s.key > max ? s.key : max), previous);
    for (const source of sources) {
      if (previous !== undefined && source.key <= previous) continue;
      const name = objects.describe(source.key);
      const copy = await objects.localCopy(source.key);
      try {
        const file = await openParquetFile(copy.path, name);
        try {
          if (columns) assertColumnsExist(file.schema, columns, name);
          const projection = projectionOf(file.schema, columns);
          const schema = projection.schema;
          if (first) {
            const difference = schemaDifference(first.schema, schema);
            if (difference) throw schemaMismatch(name, first.file, difference);
          } else {
            first = { schema, file: name };
          }
          let yielded = false;
          for await (const batch of file.batches({ batchSize, columns })) {
            // stopping quietly would look like the end of the data to the store: say why instead
            if (ctx.signal?.aborted) throw cancelledError('while reading');
            yielded = true;
            yield projection.apply(batch);
          }
          if (!yielded) yield emptyBatch(schema);
        } finally {
          file.close();
        }
      } finally {
        await copy.release();
      }
    }
  }
}

function schemaMismatch(file: string, firstFile: string, difference: string): HyggeError {
  return new HyggeError('SCHEMA_MISMATCH', `${file} does not have the schema of ${firstFile}: ${difference}`, {
    hint: 'All files of one entity must share one schema. Move the odd file elsewhere, or give it its own entity (a path per entity, or `columns:` to read only the shared columns).',
    context: { file },
  });
}
