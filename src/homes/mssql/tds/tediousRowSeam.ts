/**
 * The one place hygge reaches into tedious: its token stream parser (lib/token/stream-parser.js,
 * stable across tedious 15–19) reads each ROW/NBCROW token through `readRowToken` /
 * `readNbcRowToken`. While a RowSink is attached to a connection, those two methods hand the
 * parser to the sink instead, which decodes the rows (and any that follow) straight into Arrow.
 * tedious keeps everything else: login, TLS, auth, COLMETADATA, DONE, errors, cancel.
 *
 * Why not the 'row' event: tedious builds a JS value (Date, string, number) and a cell object
 * per value and awaits a promise per row; profiled, that was the largest cost of reading.
 *
 * The sink is found by the connection's options object, which tedious passes to every token
 * stream parser it creates for that connection; only one request runs on a connection at a time.
 */
import type { Connection } from 'tedious';
import type { TdsColumnMeta } from './cellReaders';

/** the stream parser's state a sink reads and advances */
export interface TdsStreamParser {
  buffer: Buffer;
  position: number;
  colMetadata: TdsColumnMeta[];
  options: object;
  /** appends the next chunk of the message to buffer (keeping buffer[position..]); throws at its end */
  waitForChunk(): Promise<void>;
}

export interface RowSink {
  /**
   * reads the row token whose type byte was just consumed, and any row tokens after it; or
   * returns undefined to leave this token to tedious (its 'row' event)
   */
  readRows(parser: TdsStreamParser, nbc: boolean): Promise<void> | undefined;
}

interface ParserPrototype {
  readRowToken(this: TdsStreamParser): unknown;
  readNbcRowToken(this: TdsStreamParser): unknown;
}

const sinks = new WeakMap<object, RowSink>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Parser = require('tedious/lib/token/stream-parser') as { prototype: ParserPrototype };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OrderToken } = require('tedious/lib/token/token') as { OrderToken: new (columns: number[]) => unknown };
  const proto = Parser.prototype;
  const { readRowToken, readNbcRowToken } = proto;
  if (typeof readRowToken !== 'function' || typeof readNbcRowToken !== 'function' || typeof OrderToken !== 'function') {
    throw new Error('tedious has no token stream parser to attach a row sink to (lib/token/stream-parser.js changed)');
  }
  // The parser yields whatever these return (awaited). A sink's rows produce no token, but the
  // parser must yield *something* to stay a pull stream (that is what bounds memory): an
  // ORDER token with no columns, whose handler only emits an 'order' event nobody listens to.
  const noToken = () => new OrderToken([]);
  proto.readRowToken = function (this: TdsStreamParser) {
    const read = sinks.get(this.options)?.readRows(this, false);
    return read ? read.then(noToken) : readRowToken.call(this);
  };
  proto.readNbcRowToken = function (this: TdsStreamParser) {
    const read = sinks.get(this.options)?.readRows(this, true);
    return read ? read.then(noToken) : readNbcRowToken.call(this);
  };
}

/** routes the rows of the connection's requests to `sink` until the returned detach is called */
export function attachRowSink(connection: Connection, sink: RowSink): () => void {
  install();
  const options = (connection as unknown as { config: { options: object } }).config.options;
  if (sinks.has(options)) throw new Error('a row sink is already attached to this connection');
  sinks.set(options, sink);
  return () => {
    if (sinks.get(options) === sink) sinks.delete(options);
  };
}
