/**
 * varchar bytes in a collation's code page → text, for the rare non-ASCII cell. tedious
 * decodes with iconv-lite and names code pages as iconv-lite does (`CP1252`, `CP932`, …), so
 * the same decoder gives the same text on both read paths. iconv-lite is tedious's own
 * dependency (not one of hygge's): resolved from tedious's location so the version matches.
 */
import path from 'node:path';

interface Iconv {
  decode(bytes: Buffer, encoding: string): string;
}

let iconv: Iconv | undefined;

export function decodeSingleByteText(bytes: Uint8Array, codepage: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  iconv ??= require(require.resolve('iconv-lite', { paths: [path.dirname(require.resolve('tedious'))] })) as Iconv;
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), codepage);
}
