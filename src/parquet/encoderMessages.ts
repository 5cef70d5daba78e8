/** What the entity thread and its Parquet encoder thread say to each other (one file per `id`). */
import type { ParquetWriteSettings } from './writerProperties';

export type ToEncoder =
  | { type: 'open'; id: number; settings: ParquetWriteSettings }
  /** one Arrow IPC stream (schema + batch) in bytes [0, length) of `ipc`, the buffer transferred */
  | { type: 'batch'; id: number; ipc: ArrayBuffer; length: number }
  | { type: 'end'; id: number }
  /** drop the file: the source failed or the reader stopped reading */
  | { type: 'cancel'; id: number };

export type FromEncoder =
  /** the writer took a batch: the sender may send another (flow control); its buffer comes back for reuse */
  | { type: 'taken'; id: number; ipc: ArrayBuffer }
  /** Parquet bytes, in order, the buffer transferred */
  | { type: 'chunk'; id: number; bytes: ArrayBuffer }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string };
