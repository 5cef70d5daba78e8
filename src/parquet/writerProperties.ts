/** hygge's writer settings → parquet-wasm WriterProperties (built fresh per file: the writer consumes them). */
import type { Compression } from '../config/schema';
import { wasm, type WasmWriterProperties } from './wasm';

export interface ParquetWriteSettings {
  compression: Compression;
  /** rows per row group */
  rowGroupSize: number;
}

const CODECS: Record<Compression, number> = {
  snappy: wasm.Compression.SNAPPY,
  zstd: wasm.Compression.ZSTD,
  gzip: wasm.Compression.GZIP,
  none: wasm.Compression.UNCOMPRESSED,
};

export function buildWriterProperties(settings: ParquetWriteSettings): WasmWriterProperties {
  return new wasm.WriterPropertiesBuilder()
    .setCompression(CODECS[settings.compression])
    .setMaxRowGroupSize(settings.rowGroupSize)
    .setCreatedBy('hygge (parquet-wasm)')
    .build();
}
