/**
 * The SQL Server stand-in must not be what limits hygge's benchmarks. This serves a
 * 1,000,000-row, 10-column result and accepts a 1,000,000-row bulk load, driven by a raw-socket
 * TDS client (tedious itself is far slower than the server, so it would measure tedious).
 * Prints rows/s (wall clock, and per second of server+client CPU) and peak RSS.
 *
 *   npx ts-node --transpile-only bench/sqlserver.bench.ts [rows]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSqlServer } from '../test/sqlserver';
import { Decimal, Temporal, type Value } from '../test/sqlserver/types';
import { RowEncoder } from '../test/sqlserver/tokens/row';
import { writeColMetadata, type ResultColumn } from '../test/sqlserver/tokens/colmetadata';
import { writeDone } from '../test/sqlserver/tokens/done';
import { TokenType } from '../test/sqlserver/tokens/token-type';
import type { TdsWriter } from '../test/sqlserver/protocol/writer';
import { parseTypeText } from '../test/sqlserver/types';

const ROWS = Number(process.argv[2] ?? 1_000_000);

const COLUMNS: [string, string][] = [
  ['id', 'int'], ['big', 'bigint'], ['name', 'nvarchar(50)'], ['code', 'varchar(20)'], ['amount', 'decimal(18,4)'],
  ['ratio', 'float'], ['at', 'datetime2(3)'], ['day', 'date'], ['flag', 'bit'], ['uid', 'uniqueidentifier'],
];

function makeRow(i: number): Value[] {
  return [
    i, BigInt(i) * 1_000_003n, `customer name ${i}`, `C${i % 10_000}`, new Decimal(BigInt(i) * 12_345n, 4),
    i / 7, new Temporal(738_000 + (i % 1000), (i % 86_400_000) * 10_000), new Temporal(738_000 + (i % 3000), 0), i % 2 === 0,
    `6F9619FF-8B86-D011-B42D-${(i % 1e12).toString(16).toUpperCase().padStart(12, '0')}`,
  ];
}

// ---- a minimal raw TDS client, in a child process so process.cpuUsage() here is the server's ----
const CLIENT = String.raw`
const net = require('net'); const fs = require('fs'); const readline = require('readline');
const [port, host] = process.argv.slice(1);
function packets(type, payload, size) {
  const chunk = size - 8; const n = Math.max(1, Math.ceil(payload.length / chunk));
  const out = Buffer.alloc(payload.length + n * 8);
  for (let i = 0, src = 0, dst = 0; i < n; i++) {
    const len = Math.min(chunk, payload.length - src);
    out[dst] = type; out[dst + 1] = i === n - 1 ? 1 : 0; out.writeUInt16BE(len + 8, dst + 2); out[dst + 6] = (i + 1) & 0xff;
    payload.copy(out, dst + 8, src, src + len); src += len; dst += len + 8;
  }
  return out;
}
function login7(user, password, database) {
  const strings = ['bench', user, password, 'bench', 'localhost', '', 'raw', '', database];
  const fixed = Buffer.alloc(94); const data = []; let offset = 94;
  const slots = [36, 40, 44, 48, 52, 56, 60, 64, 68];
  strings.forEach((s, i) => {
    let b = Buffer.from(s, 'utf16le');
    if (i === 2) b = Buffer.from(b.map((x) => (((x << 4) & 0xf0) | (x >> 4)) ^ 0xa5));
    fixed.writeUInt16LE(offset, slots[i]); fixed.writeUInt16LE(s.length, slots[i] + 2); data.push(b); offset += b.length;
  });
  fixed.writeUInt32LE(0x74000004, 4); fixed.writeUInt32LE(32767, 8);
  for (const at of [78, 82, 86]) fixed.writeUInt16LE(offset, at);
  const body = Buffer.concat([fixed, ...data]); body.writeUInt32LE(body.length, 0); return body;
}
const batch = (text) => Buffer.concat([Buffer.from([22,0,0,0,18,0,0,0,2,0,0,0,0,0,0,0,0,0,1,0,0,0]), Buffer.from(text, 'utf16le')]);
const socket = net.connect(Number(port), host); socket.setNoDelay(true);
// Walks packet headers across chunks without copying: only each packet's status matters.
let onEom = null; let bytes = 0; let skip = 0; const header = Buffer.alloc(8); let headerFill = 0;
socket.on('data', (chunk) => {
  bytes += chunk.length; let pos = 0;
  while (pos < chunk.length) {
    if (skip > 0) { const n = Math.min(skip, chunk.length - pos); skip -= n; pos += n; continue; }
    const n = Math.min(8 - headerFill, chunk.length - pos); chunk.copy(header, headerFill, pos, pos + n); headerFill += n; pos += n;
    if (headerFill < 8) break;
    headerFill = 0; skip = header.readUInt16BE(2) - 8;
    if (header[1] & 1) { if (skip === 0) { const cb = onEom; onEom = null; cb(); } else { const s = skip; skip = 0; const rest = Math.min(s, chunk.length - pos); pos += rest; skip = s - rest; if (skip === 0) { const cb = onEom; onEom = null; cb(); } else { pendingEom = true; } } }
  }
  if (pendingEom && skip === 0) { pendingEom = false; const cb = onEom; onEom = null; cb(); }
});
let pendingEom = false;
const exchange = (data) => new Promise((resolve) => { bytes = 0; onEom = () => resolve(bytes); socket.write(data); });
const rl = readline.createInterface({ input: process.stdin });
const queue = [];
let busy = Promise.resolve();
socket.on('connect', () => {
  busy = busy.then(() => exchange(packets(0x12, Buffer.from([0,0,6,0,1,0xff,0,0,0,0,0,0]), 4096)))
    .then(() => exchange(packets(0x10, login7('sa', 'Hygge-Passw0rd!', 'hygge'), 4096)))
    .then(() => process.stdout.write('ready\n'));
});
rl.on('line', (line) => {
  const [cmd, ...rest] = line.split(' ');
  busy = busy.then(async () => {
    const data = cmd === 'sql' ? packets(0x01, batch(rest.join(' ')), 32767) : packets(0x07, fs.readFileSync(rest[0]), 32767);
    const n = await exchange(data);
    process.stdout.write('done ' + n + '\n');
  });
});
`;

class RawClient {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiter?: (line: string) => void;

  constructor(port: number, host: string) {
    this.child = spawn(process.execPath, ['-e', CLIENT, String(port), host], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(line);
      } else this.lines.push(line);
    });
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((r) => (this.waiter = r));
  }

  async run(command: string): Promise<number> {
    this.child.stdin!.write(command + '\n');
    return Number((await this.next()).split(' ')[1]);
  }

  close(): void {
    this.child.kill();
  }
}

/** ROW tokens for the bulk load, encoded with the server's own row encoder. */
function bulkPayload(columns: ResultColumn[], rows: number): Buffer {
  const w = { buf: Buffer.allocUnsafe(64 * 1024 * 1024), pos: 0, reserve(n: number) {
    if (this.pos + n > this.buf.length) {
      const b = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(b, 0, 0, this.pos);
      this.buf = b;
    }
  }, u8(v: number) { this.reserve(1); this.buf[this.pos++] = v; }, u16(v: number) { this.reserve(2); this.pos = this.buf.writeUInt16LE(v, this.pos); },
  u32(v: number) { this.reserve(4); this.pos = this.buf.writeUInt32LE(v, this.pos); }, bytes(b: Buffer) { this.reserve(b.length); b.copy(this.buf, this.pos); this.pos += b.length; },
  bVarChar(s: string) { this.u8(s.length); this.reserve(s.length * 2); this.pos += this.buf.write(s, this.pos, 'utf16le'); } };
  const writer = w as unknown as TdsWriter;
  writeColMetadata(writer, columns);
  const enc = new RowEncoder(columns);
  const index = columns.map((_, i) => i);
  for (let i = 0; i < rows; i++) enc.write(writer, makeRow(i), index);
  writeDone(writer, TokenType.DONE, 0, 0, 0);
  return w.buf.subarray(0, w.pos);
}

function report(label: string, rows: number, bytes: number, seconds: number, cpuSeconds: number): void {
  console.log(`${label}: ${rows.toLocaleString()} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString()} rows/s wall; server CPU ${cpuSeconds.toFixed(2)} s = ${Math.round(rows / cpuSeconds).toLocaleString()} rows per CPU-second`);
}

async function measure(run: () => Promise<number>): Promise<[number, number, number]> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const bytes = await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return [bytes, seconds, (cpu.user + cpu.system) / 1e6];
}

async function main(): Promise<void> {
  const server = await startSqlServer();
  console.log(`seeding ${ROWS.toLocaleString()} rows ...`);
  const table = server.catalog.createTable({ name: 'big', columns: COLUMNS.map(([name, type], i) => ({ name, type, primaryKey: i === 0, nullable: i !== 0 })) });
  const seeded: Value[][] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) seeded[i] = makeRow(i);
  table.insertRows(seeded, 'hygge');
  seeded.length = 0;
  const columns: ResultColumn[] = COLUMNS.map(([name, type], i) => ({ name, type: parseTypeText(type), nullable: i !== 0 }));
  const dir = mkdtempSync(join(tmpdir(), 'hygge-bench-'));
  const bulkFile = join(dir, 'bulk.bin');
  writeFileSync(bulkFile, bulkPayload(columns, ROWS));

  const client = new RawClient(server.port, server.host);
  await client.next(); // ready (logged in)
  try {
    for (let round = 0; round < 3; round++) {
      const [bytes, seconds, cpu] = await measure(() => client.run('sql SELECT * FROM big'));
      report(`select${round === 0 ? ' (warm-up)' : ''}`, ROWS, bytes, seconds, cpu);
    }
    const cols = COLUMNS.map(([n, t]) => `[${n}] ${t}`).join(', ');
    for (let round = 0; round < 3; round++) {
      await client.run('sql TRUNCATE TABLE big');
      await client.run(`sql insert bulk big (${cols}) with (TABLOCK)`);
      const [, seconds, cpu] = await measure(() => client.run(`bulk ${bulkFile}`));
      if (table.rowCount !== ROWS) throw new Error(`bulk load stored ${table.rowCount} rows`);
      report(`bulk load${round === 0 ? ' (warm-up)' : ''}`, ROWS, statSync(bulkFile).size, seconds, cpu);
    }
    // Bulk-loaded rows stay in wire form: a plain SELECT copies their values as received.
    const [bytes, seconds, cpu] = await measure(() => client.run('sql SELECT * FROM big'));
    report('select of the bulk-loaded rows (served from wire form)', ROWS, bytes, seconds, cpu);
  } finally {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (server process, including the seeded table)`);
  await server.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
