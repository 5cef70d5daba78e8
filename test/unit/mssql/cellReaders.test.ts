/**
 * The TDS row decoder's text and byte cells against Node's own conversions: UTF-16LE →
 * UTF-8 by hand must give exactly what Buffer's utf16le → string → utf8 path gives (surrogate
 * pairs, lone surrogates, every UTF-8 length), GUIDs their canonical text, and byte copies the
 * same bytes on both sides of the short-copy threshold.
 */
import { requireSqlType } from '../../../src/arrow/sqlType';
import { cellReader, type TdsColumnMeta } from '../../../src/homes/mssql/tds/cellReaders';
import { BatchArrays } from '../../../src/homes/mssql/tds/outputs';
import { seededRandom } from '../orchestration/seededRandom';

/** cells with a 2-byte little-endian length prefix, as TDS sends (n)varchar/varbinary */
function shortPrefixed(values: Buffer[]): { buf: Buffer; starts: number[] } {
  const starts: number[] = [];
  const parts = values.map((v) => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(v.length);
    return Buffer.concat([prefix, v]);
  });
  let at = 0;
  for (const p of parts) {
    starts.push(at);
    at += p.length;
  }
  return { buf: Buffer.concat(parts), starts };
}

/** reads every cell through a reader for `sqlType` sent as `wire`; the Arrow values back */
function decode(wire: string, sqlType: string, cells: Buffer[], prefix: 'short' | 'byte' = 'short'): unknown[] {
  const meta: TdsColumnMeta = { colName: 'c', type: { name: wire }, dataLength: 8000, collation: { codepage: 'CP1252' } };
  const reader = cellReader(meta, requireSqlType(sqlType), true, new BatchArrays(cells.length));
  const { buf, starts } = prefix === 'short' ? shortPrefixed(cells) : bytePrefixed(cells);
  reader.start();
  starts.forEach((start, row) => reader.read(buf, start, row));
  const [data] = reader.finish(cells.length);
  const values = data!.values as Uint8Array;
  const offsets = data!.valueOffsets as Int32Array;
  return cells.map((_, i) => Buffer.from(values.subarray(offsets[i]!, offsets[i + 1]!)));
}

function bytePrefixed(values: Buffer[]): { buf: Buffer; starts: number[] } {
  const starts: number[] = [];
  let at = 0;
  const parts = values.map((v) => {
    starts.push(at);
    at += 1 + v.length;
    return Buffer.concat([Buffer.from([v.length]), v]);
  });
  return { buf: Buffer.concat(parts), starts };
}

/** what Node makes of the same UTF-16LE bytes: decode to a string, encode as UTF-8 */
const nodeUtf8 = (utf16: Buffer) => Buffer.from(utf16.toString('utf16le'), 'utf8');

describe('TDS cell readers', () => {
  it('nvarchar: UTF-16LE → UTF-8 exactly as Node converts it, for every UTF-8 length and broken surrogates', () => {
    const strings = ['', 'plain ascii', 'søster', '€ 100', '日本語テキスト', '😀 and 𝄞', 'x\u0000y', '\u007f\u0080\u07ff\u0800\uffff'];
    const units = [
      ...strings.map((s) => Buffer.from(s, 'utf16le')),
      Buffer.from([0x3d, 0xd8, 0x41, 0x00]), // a high surrogate followed by 'A'
      Buffer.from([0x41, 0x00, 0x00, 0xde]), // 'A' then a lone low surrogate
      Buffer.from([0x3d, 0xd8]), // a high surrogate at the very end
      Buffer.from([0x00, 0xdc, 0x3d, 0xd8]), // low before high: two lone surrogates
    ];
    // random code units, surrogates included
    const random = seededRandom(7);
    for (let n = 0; n < 200; n++) {
      const b = Buffer.alloc(2 * Math.floor(random() * 40));
      for (let i = 0; i < b.length; i += 2) b.writeUInt16LE(Math.floor(random() * 0x10000), i);
      units.push(b);
    }
    expect(decode('NVarChar', 'nvarchar(4000)', units)).toEqual(units.map(nodeUtf8));
  });

  it('varchar and varbinary: the same bytes, short and long', () => {
    const cells = [Buffer.from(''), Buffer.from('abc'), Buffer.from('x'.repeat(63)), Buffer.from('y'.repeat(64)), Buffer.from('z'.repeat(5000))];
    expect(decode('VarChar', 'varchar(8000)', cells)).toEqual(cells);
    const binary = cells.map((c, i) => Buffer.from(c.map((_, j) => (i * 31 + j * 7) & 0xff)));
    expect(decode('VarBinary', 'varbinary(8000)', binary)).toEqual(binary);
    // non-ASCII in a single-byte code page goes through the collation's decoder
    expect(decode('VarChar', 'varchar(10)', [Buffer.from([0x63, 0x61, 0x66, 0xe9])])).toEqual([Buffer.from('café', 'utf8')]);
  });

  it('uniqueidentifier: canonical lowercase text, mixed-endian groups as SQL Server shows them', () => {
    const text = ['6f9619ff-8b86-d011-b42d-00c04fc964ff', '00000000-0000-0000-0000-000000000001', 'ffffffff-abcd-ef01-2345-6789abcdef00'];
    // the wire form: the first three groups little-endian, the last two as written
    const wire = text.map((t) => {
      const hex = t.replace(/-/g, '');
      const bytes = Buffer.from(hex, 'hex');
      return Buffer.concat([bytes.subarray(0, 4).reverse(), bytes.subarray(4, 6).reverse(), bytes.subarray(6, 8).reverse(), bytes.subarray(8)]);
    });
    expect(decode('UniqueIdentifier', 'uniqueidentifier', wire, 'byte').map(String)).toEqual(text);
  });
});
