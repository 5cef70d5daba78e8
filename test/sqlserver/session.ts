import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { PreloginTlsTransport } from './protocol/prelogin-tls';
import { authenticateSql, authenticateToken, type UserConfig } from './auth';
import { BULK_OPTIONS, BulkLoadReceiver, type BulkColumn } from './bulk-load';
import type { Catalog } from './catalog/catalog';
import type { Counters } from './counters';
import { SqlError, sqlErrors } from './errors';
import { makeInjectedError, type Faults } from './faults';
import { readAllHeaders } from './protocol/all-headers';
import { FedAuthLibrary, parseFedAuthToken, parseLogin7, type Login7 } from './protocol/login7';
import { frameMessage, PacketReader, PacketStatus, PacketType, type Packet } from './protocol/packet';
import { buildPreloginResponse, Encryption, parsePrelogin } from './protocol/prelogin';
import { parseRpc, type RpcRequest } from './protocol/rpc';
import { TdsWriter } from './protocol/writer';
import type { Statement } from './sql/ast';
import type { SessionState } from './sql/context';
import { Executor, tempTableName } from './sql/executor';
import { parseParameterDeclarations } from './sql/parser';
import type { EnvChange, ResultSet, StatementResult } from './sql/results';
import { ResultRowReader } from './sql/result-rows';
import { writeColMetadata } from './tokens/colmetadata';
import { DoneStatus, writeDone, type DoneToken } from './tokens/done';
import { EnvChangeType, writeBeginTransaction, writeEndTransaction, writeEnvChangeBytes, writeEnvChangeString } from './tokens/env-change';
import { writeFeatureExtAck } from './tokens/feature-ext-ack';
import { writeFedAuthInfo } from './tokens/fedauth-info';
import { writeLoginAck } from './tokens/login-ack';
import { writeError, writeInfo } from './tokens/message';
import { writeReturnStatus } from './tokens/return-status';
import { writeReturnValue } from './tokens/return-value';
import { RowEncoder } from './tokens/row';
import { TokenType } from './tokens/token-type';
import { coerce, type SqlType, type Value } from './types';
import { SERVER_COLLATION } from './types/character';

/** What a session needs from its server. */
export interface ServerContext {
  catalog: Catalog;
  counters: Counters;
  faults: Faults;
  users: UserConfig[];
  tokenSecret: string;
  serverName: string;
  strict: boolean;
  /** Logged-in sessions (the 10928 cap counts these). */
  loggedIn: Set<Session>;
  /** The server certificate (made on first use when TLS runs inside TDS). */
  certificate(): { cert: string; key: string };
}

const DEFAULT_PACKET_SIZE = 4096;
const STS_URL = 'https://login.microsoftonline.com/common/';
const SPN = 'https://database.windows.net/';
const TDS_7_4 = 0x74000004;

interface Message {
  type: number;
  status: number;
  payload: Buffer;
}

interface Prepared {
  sql: string;
  params: { name: string; type: SqlType }[];
}

/**
 * The session's output after TLS was negotiated inside TDS: the first application write
 * switches the transport to unwrapped records (the handshake is over by then).
 */
class TlsOutput extends Duplex {
  constructor(private readonly secure: TLSSocket, private readonly transport: PreloginTlsTransport) {
    super();
    secure.on('drain', () => this.emit('drain'));
    secure.on('close', () => this.destroy());
  }
  override _read(): void {}
  override write(chunk: Buffer): boolean {
    this.transport.unwrapOutput();
    return this.secure.write(chunk);
  }
}

let nextSpid = 51;
/** Internal marker for a message the client flagged IGNORE. */
const IGNORED_MESSAGE = -2;

/** One client connection: the TDS state machine from PRELOGIN to requests and bulk loads. */
export class Session {
  readonly spid = nextSpid++ > 32000 ? (nextSpid = 52) : nextSpid - 1;
  private phase: 'prelogin' | 'login' | 'fedauth' | 'ready' | 'closed' = 'prelogin';
  private readonly reader: PacketReader;
  private readonly writer: TdsWriter;
  private messageType = -1;
  private messageStatus = 0;
  private chunks: Buffer[] = [];
  private readonly queue: Message[] = [];
  private busy = false;
  private attention = false;
  private login?: Login7;
  private bulk?: BulkLoadReceiver;
  private pendingBulk?: { receiver: BulkLoadReceiver; table: string };
  private readonly prepared = new Map<number, Prepared>();
  private nextHandle = 1;
  private state!: SessionState;
  private executor!: Executor;
  private loginDatabase = 'master';

  /** Where socket bytes go: the packet reader, or the TLS engine once TLS runs inside TDS. */
  private inbound: (chunk: Buffer) => void;
  private tlsInTds?: { transport: PreloginTlsTransport; secure: TLSSocket; done: boolean };

  constructor(private readonly socket: Duplex, private readonly server: ServerContext) {
    this.writer = new TdsWriter(socket, DEFAULT_PACKET_SIZE, this.spid);
    this.reader = new PacketReader((p) => this.onPacket(p), () => this.close());
    server.counters.connectionsOpened++;
    this.inbound = (chunk) => this.reader.push(chunk);
    socket.on('data', (chunk: Buffer) => this.inbound(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  // ---- packets and messages -----------------------------------------------------------------
  private onPacket(p: Packet): void {
    if (this.phase === 'closed') return;
    if (this.tlsInTds && !this.tlsInTds.done) {
      // TLS handshake records ride in PRELOGIN packets.
      if (p.type === PacketType.PRELOGIN) this.tlsInTds.transport.receiveHandshake(Buffer.from(p.payload));
      else this.close();
      return;
    }
    if (p.type === PacketType.ATTENTION) {
      this.onAttention();
      return;
    }
    if (this.messageType === -1) {
      this.messageType = p.type;
      this.messageStatus = p.status;
      if (p.type === PacketType.BULK_LOAD) {
        this.bulk = this.pendingBulk?.receiver;
        this.pendingBulk = undefined;
      }
    }
    const last = (p.status & PacketStatus.END_OF_MESSAGE) !== 0;
    if (this.messageType === PacketType.BULK_LOAD && this.bulk) {
      // Bulk data is parsed as it arrives rather than collected into one huge message.
      this.bulk.push(Buffer.from(p.payload), last);
    } else {
      this.chunks.push(Buffer.from(p.payload));
    }
    if (!last) return;
    const message: Message = { type: this.messageType, status: this.messageStatus | (p.status & PacketStatus.IGNORE), payload: this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks) };
    this.messageType = -1;
    this.chunks = [];
    if ((message.status & PacketStatus.IGNORE) !== 0) {
      // The client abandoned this message while sending it (tedious does when a parameter
      // fails validation mid-stream): it is discarded and answered with a bare DONE.
      if (this.bulk) this.bulk = undefined;
      message.type = IGNORED_MESSAGE;
    }
    this.queue.push(message);
    void this.drain();
  }

  private onAttention(): void {
    if (this.busy) {
      this.attention = true;
      return;
    }
    // Nothing running: acknowledge right away.
    writeDone(this.writer, TokenType.DONE, DoneStatus.ATTN, 0, 0);
    void this.writer.end();
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0 && this.phase !== 'closed') {
        const m = this.queue.shift()!;
        this.attention = false;
        await this.handle(m);
      }
    } catch (e) {
      // A bug in the stand-in: report it loudly and close.
      console.error('[sqlserver stand-in] internal error', e);
      this.close();
    } finally {
      this.busy = false;
    }
  }

  private async handle(m: Message): Promise<void> {
    switch (this.phase) {
      case 'prelogin':
        if (m.type !== PacketType.PRELOGIN) return this.protocolViolation();
        return this.onPrelogin(m.payload);
      case 'login':
        if (m.type !== PacketType.LOGIN7) return this.protocolViolation();
        return this.onLogin7(m.payload);
      case 'fedauth':
        if (m.type !== PacketType.FEDAUTH_TOKEN) return this.protocolViolation();
        return this.onFedAuthToken(m.payload);
      case 'ready':
        if ((m.status & PacketStatus.RESET_CONNECTION) !== 0) this.resetSession();
        switch (m.type) {
          case PacketType.SQL_BATCH: return this.onSqlBatch(m.payload);
          case PacketType.RPC_REQUEST: return this.onRpc(m.payload);
          case PacketType.TRANSACTION_MANAGER: return this.onTransactionManager(m.payload);
          case PacketType.BULK_LOAD: return this.onBulkLoadEnd();
          case IGNORED_MESSAGE:
            writeDone(this.writer, TokenType.DONE, DoneStatus.FINAL, 0, 0);
            await this.writer.end();
            return;
          default: return this.protocolViolation();
        }
      default:
        return;
    }
  }

  /** A message that is not allowed in the current phase: SQL Server drops the connection. */
  private protocolViolation(): void {
    this.close();
  }

  close(): void {
    if (this.phase === 'closed') return;
    const wasLoggedIn = this.server.loggedIn.delete(this);
    this.phase = 'closed';
    if (this.state && this.state.tranCount > 0) this.executor.rollbackAll();
    if (this.state) this.dropTempTables();
    if (wasLoggedIn) this.server.counters.sessionClosed();
    if (!this.socket.destroyed) this.socket.destroy();
  }

  private dropTempTables(): void {
    const tempdb = this.server.catalog.database('tempdb');
    if (!tempdb) return;
    for (const t of [...tempdb.tables.values()]) if (t.name.endsWith(tempTableName('#', this.spid).slice(1))) tempdb.removeTable(t);
  }

  // ---- PRELOGIN and LOGIN7 -------------------------------------------------------------------
  private onPrelogin(payload: Buffer): void {
    let client;
    try {
      client = parsePrelogin(payload);
    } catch {
      return this.close();
    }
    // Strict mode: TLS already wraps the socket, so no in-band encryption. Otherwise encrypt
    // when the client asks (ON / REQ), as SQL Server without "force encryption" does.
    const wantsTls = !this.server.strict && (client.encryption === Encryption.ON || client.encryption === Encryption.REQ);
    const response = buildPreloginResponse(wantsTls ? Encryption.ON : Encryption.NOT_SUP, client);
    this.socket.write(frameMessage(PacketType.TABULAR_RESULT, response, DEFAULT_PACKET_SIZE, 0));
    if (wantsTls) this.startTlsInTds();
    this.phase = 'login';
  }

  private startTlsInTds(): void {
    const { transport, secure } = PreloginTlsTransport.start(this.socket, this.server.certificate());
    const state = { transport, secure, done: false };
    this.tlsInTds = state;
    secure.on('secure', () => {
      // From here on socket bytes are TLS records; the cleartext carries TDS packets.
      state.done = true;
      this.inbound = (chunk) => transport.receiveRaw(chunk);
      secure.on('data', (chunk: Buffer) => this.reader.push(chunk));
      this.writer.redirect(new TlsOutput(secure, transport));
    });
    secure.on('error', () => this.close());
    secure.on('close', () => this.close());
  }

  private async onLogin7(payload: Buffer): Promise<void> {
    let login: Login7;
    try {
      login = parseLogin7(payload);
    } catch {
      return this.close();
    }
    this.login = login;
    const fault = this.server.faults.takeLoginFault();
    if (fault) return this.failLogin(makeInjectedError(fault, login.database || 'master', this.server.serverName));
    if (login.fedAuth) {
      if (login.fedAuth.library === FedAuthLibrary.SECURITYTOKEN) return this.completeTokenLogin(login.fedAuth.token ?? '');
      if (login.fedAuth.library !== FedAuthLibrary.ADAL) return this.failLogin(sqlErrors.tokenLoginFailed());
      // Tell the client where to get a token for which resource; it answers with FEDAUTH_TOKEN.
      writeFedAuthInfo(this.writer, STS_URL, SPN);
      await this.writer.end();
      this.phase = 'fedauth';
      return;
    }
    let user: UserConfig;
    try {
      user = authenticateSql(this.server.users, login.userName, login.password);
    } catch (e) {
      return this.failLogin(e as SqlError);
    }
    this.server.counters.logins.sql++;
    await this.completeLogin(user, user.name, false);
  }

  private async onFedAuthToken(payload: Buffer): Promise<void> {
    return this.completeTokenLogin(parseFedAuthToken(payload));
  }

  private async completeTokenLogin(token: string): Promise<void> {
    let user: UserConfig;
    try {
      user = authenticateToken(this.server.users, token, this.server.tokenSecret);
    } catch (e) {
      return this.failLogin(e as SqlError);
    }
    this.server.counters.logins.token++;
    await this.completeLogin(user, user.name, true);
  }

  private async failLogin(err: SqlError): Promise<void> {
    this.server.counters.logins.failed++;
    writeError(this.writer, err, this.server.serverName, '', 1);
    writeDone(this.writer, TokenType.DONE, DoneStatus.ERROR, 0, 0);
    await this.writer.end();
    this.socket.end();
    this.close();
  }

  private async completeLogin(user: UserConfig, userName: string, fedAuth: boolean): Promise<void> {
    const login = this.login!;
    const { faults, catalog, counters, serverName } = this.server;
    if (faults.maxSessions !== undefined && this.server.loggedIn.size >= faults.maxSessions) {
      return this.failLogin(makeInjectedError({
        number: 10928,
        message: `Resource ID : 2. The session limit for the database is ${faults.maxSessions} and has been reached. See 'https://docs.microsoft.com/azure/azure-sql/database/resource-limits-logical-server' for assistance.`,
      }, login.database, serverName));
    }
    const dbName = login.database || user.defaultDatabase || 'master';
    const db = catalog.database(dbName);
    if (!db) return this.failLogin(sqlErrors.cannotOpenDatabase(dbName));
    this.loginDatabase = db.name;
    this.initSession(userName, db.name);
    const packetSize = Math.min(32767, Math.max(512, login.packetSize || DEFAULT_PACKET_SIZE));
    const w = this.writer;
    writeEnvChangeString(w, EnvChangeType.DATABASE, db.name, 'master');
    writeInfo(w, 5701, `Changed database context to '${db.name}'.`, serverName, 2, 0);
    writeEnvChangeBytes(w, EnvChangeType.SQL_COLLATION, SERVER_COLLATION, Buffer.alloc(0));
    writeEnvChangeString(w, EnvChangeType.LANGUAGE, 'us_english', '');
    writeInfo(w, 5703, 'Changed language setting to us_english.', serverName, 1, 0);
    writeLoginAck(w, Math.min(login.tdsVersion, TDS_7_4) === TDS_7_4 ? TDS_7_4 : login.tdsVersion);
    writeEnvChangeString(w, EnvChangeType.PACKET_SIZE, String(packetSize), String(DEFAULT_PACKET_SIZE));
    if (fedAuth || login.utf8Support) writeFeatureExtAck(w, { fedAuth, utf8: login.utf8Support });
    writeDone(w, TokenType.DONE, DoneStatus.FINAL, 0, 0);
    await w.end();
    w.setPacketSize(packetSize);
    this.phase = 'ready';
    this.server.loggedIn.add(this);
    counters.sessionOpened();
  }

  private initSession(userName: string, database: string): void {
    this.state = {
      spid: this.spid, userName, serverName: this.server.serverName, database, variables: new Map(), identityInsert: new Set(),
      xactAbort: false, noCount: false, tranCount: 0, undo: null, descriptor: Buffer.alloc(8), scopeIdentity: null, rowCount: 0,
    };
    this.executor = new Executor({ catalog: this.server.catalog, session: this.state }, (kind) => this.server.counters.countStatement(kind));
  }

  /** sp_reset_connection semantics: roll back, forget variables and settings, back to the login database. */
  private resetSession(): void {
    if (this.state.tranCount > 0) this.executor.rollbackAll();
    this.initSession(this.state.userName, this.loginDatabase);
    writeEnvChangeBytes(this.writer, EnvChangeType.RESET_CONNECTION, Buffer.alloc(0), Buffer.alloc(0));
  }

  // ---- requests ----------------------------------------------------------------------------
  private async beforeRequest(text: string): Promise<SqlError | undefined> {
    const { faults } = this.server;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const fault = faults.takeStatementFault(text);
    return fault ? makeInjectedError(fault, this.state.database, this.server.serverName) : undefined;
  }

  private async onSqlBatch(payload: Buffer): Promise<void> {
    const sql = payload.toString('utf16le', readAllHeaders(payload).length);
    const injected = await this.beforeRequest(sql);
    if (injected) return this.sendFatalOrBatchError(injected, TokenType.DONE);
    let statements: Statement[];
    try {
      statements = this.executor.parse(sql);
    } catch (e) {
      return this.sendFatalOrBatchError(asSqlError(e), TokenType.DONE);
    }
    if (statements.length === 1 && statements[0].kind === 'insertBulk') return this.onInsertBulk(statements[0]);
    const out = new ResponseStream(this, 'batch');
    await this.runStatements(statements, out);
    await out.finish(TokenType.DONE);
  }

  /** Runs statements, sending each one's results; applies SQL Server's error scopes. */
  private async runStatements(statements: Statement[], out: ResponseStream, runNested?: () => void): Promise<boolean> {
    const total = runNested ? 1 : statements.length;
    for (let i = 0; i < total; i++) {
      let error: SqlError | undefined;
      try {
        if (runNested) runNested();
        else this.executor.execute(statements[i], i);
      } catch (e) {
        error = asSqlError(e);
        if (error.line === undefined && statements[i]) error.line = statements[i].line;
      }
      const results = this.executor.out.splice(0);
      for (const r of results) {
        if (!(await out.result(r))) return false;
      }
      if (error) {
        const abortTx = this.state.xactAbort && this.state.tranCount > 0;
        out.error(error);
        if (abortTx) out.envChange(this.executor.rollbackAll());
        if (error.scope === 'connection') {
          await out.finish(TokenType.DONE, true);
          this.close();
          return false;
        }
        if (error.scope === 'batch' || abortTx) return false;
      }
      if (this.attention) return false;
    }
    return true;
  }

  private async sendFatalOrBatchError(err: SqlError, token: DoneToken): Promise<void> {
    const out = new ResponseStream(this, token === TokenType.DONE ? 'batch' : 'rpc');
    out.error(err);
    await out.finish(token, true);
    if (err.scope === 'connection') this.close();
  }

  private async onRpc(payload: Buffer): Promise<void> {
    let rpc: RpcRequest;
    try {
      rpc = parseRpc(payload);
    } catch (e) {
      return this.sendFatalOrBatchError(asSqlError(e), TokenType.DONEPROC);
    }
    this.server.counters.countStatement('rpc');
    const text = rpc.procedure === 'sp_executesql' || rpc.procedure === 'sp_prepexec' || rpc.procedure === 'sp_prepare'
      ? String(rpc.parameters[rpc.procedure === 'sp_executesql' ? 0 : 2]?.value ?? '')
      : rpc.procedure;
    const injected = await this.beforeRequest(text);
    const out = new ResponseStream(this, 'rpc');
    if (injected) {
      out.error(injected);
      await out.finish(TokenType.DONEPROC, true);
      if (injected.scope === 'connection') this.close();
      return;
    }
    let ok = true;
    const returnValues: { ordinal: number; name: string; type: SqlType; value: Value }[] = [];
    try {
      switch (rpc.procedure) {
        case 'sp_executesql': {
          const [stmt, decl, ...values] = rpc.parameters;
          ok = await this.runParameterized(String(stmt?.value ?? ''), decl?.value == null ? '' : String(decl.value), values, out);
          break;
        }
        case 'sp_prepare': case 'sp_prepexec': {
          const [handle, decl, stmt, ...values] = rpc.parameters;
          const sql = String(stmt?.value ?? '');
          const params = decl?.value == null ? [] : parseParameterDeclarations(String(decl.value));
          this.executor.parse(sql); // compile errors surface at prepare time, like SQL Server
          const id = this.nextHandle++;
          this.prepared.set(id, { sql, params });
          returnValues.push({ ordinal: 0, name: handle?.name ?? '@handle', type: { name: 'int' }, value: id });
          if (rpc.procedure === 'sp_prepexec') ok = await this.runParameterized(sql, decl?.value == null ? '' : String(decl.value), values, out);
          break;
        }
        case 'sp_execute': {
          const [handle, ...values] = rpc.parameters;
          const p = this.prepared.get(Number(handle?.value));
          if (!p) throw sqlErrors.invalidPreparedHandle(Number(handle?.value));
          ok = await this.runPrepared(p, values, out);
          break;
        }
        case 'sp_unprepare':
          this.prepared.delete(Number(rpc.parameters[0]?.value));
          break;
        default: {
          // Other procedures by name (e.g. sp_rename) run as EXEC with literal arguments.
          const args = rpc.parameters.map((p) => ({ name: p.name || undefined, expr: { kind: 'literal' as const, value: p.value, type: p.info.type } }));
          const stmt = { kind: 'exec' as const, procedure: { parts: [rpc.procedure], text: rpc.procedure }, args, line: 1, text: rpc.procedure };
          ok = await this.runStatements([stmt], out);
        }
      }
    } catch (e) {
      const err = asSqlError(e);
      out.error(err);
      if (err.scope === 'connection') {
        await out.finish(TokenType.DONEPROC, true);
        return this.close();
      }
      ok = false;
    }
    if (this.phase === 'closed') return;
    for (const rv of returnValues) out.returnValue(rv.ordinal, rv.name, rv.type, rv.value);
    await out.finishProc(ok);
  }

  private async runParameterized(sql: string, declarations: string, values: RpcRequest['parameters'], out: ResponseStream): Promise<boolean> {
    const params = declarations ? parseParameterDeclarations(declarations) : [];
    return this.runPrepared({ sql, params }, values, out);
  }

  private async runPrepared(p: Prepared, values: RpcRequest['parameters'], out: ResponseStream): Promise<boolean> {
    const variables = new Map<string, { type: SqlType; value: Value }>();
    p.params.forEach((d, i) => {
      const supplied = values.find((v) => v.name.toLowerCase() === d.name.toLowerCase()) ?? values[i];
      variables.set(d.name.toLowerCase(), { type: d.type, value: supplied ? coerce(supplied.value, d.type) : null });
    });
    const statements = this.executor.parse(p.sql);
    return this.runStatements(statements, out, () => this.executor.runNested(p.sql, variables));
  }

  private async onTransactionManager(payload: Buffer): Promise<void> {
    const pos = readAllHeaders(payload).length;
    const type = payload.readUInt16LE(pos);
    this.server.counters.countStatement('tm');
    const out = new ResponseStream(this, 'batch');
    const op = type === 5 ? 'BEGIN' : type === 7 ? 'COMMIT' : type === 8 ? 'ROLLBACK' : type === 9 ? 'SAVE' : undefined;
    try {
      if (!op) throw sqlErrors.notSupported(`transaction manager request ${type}`);
      this.executor.transaction(op);
      for (const r of this.executor.out.splice(0)) for (const c of r.envChanges) out.envChange(c);
    } catch (e) {
      this.executor.out.splice(0);
      out.error(asSqlError(e));
      return out.finish(TokenType.DONE, true);
    }
    await out.finish(TokenType.DONE);
  }

  // ---- bulk load ---------------------------------------------------------------------------
  private async onInsertBulk(stmt: Extract<Statement, { kind: 'insertBulk' }>): Promise<void> {
    const out = new ResponseStream(this, 'batch');
    try {
      this.server.counters.countStatement('insertBulk');
      const { db, schema, object } = this.executor.nameParts(stmt.table);
      const table = db.table(schema, object);
      if (!table) throw sqlErrors.invalidObject(stmt.table.text);
      for (const o of stmt.options) if (!BULK_OPTIONS.has(o)) throw sqlErrors.syntax(o);
      const columns: BulkColumn[] = stmt.columns.map((c) => {
        const tableIndex = table.columnIndex(c.name);
        if (tableIndex < 0) throw sqlErrors.invalidColumn(c.name);
        return { name: c.name, type: c.type, tableIndex };
      });
      const dropAfter = this.server.faults.takeDropAfter('bulk');
      const receiver = new BulkLoadReceiver(table, db.name, columns, stmt.options, (total) => {
        if (dropAfter !== undefined && total >= dropAfter) this.close();
      });
      this.pendingBulk = { receiver, table: table.name };
      this.state.undo?.touchTable(table);
    } catch (e) {
      out.error(asSqlError(e));
      return out.finish(TokenType.DONE, true);
    }
    await out.finish(TokenType.DONE);
  }

  private async onBulkLoadEnd(): Promise<void> {
    const bulk = this.bulk;
    this.bulk = undefined;
    const out = new ResponseStream(this, 'batch');
    if (!bulk) {
      out.error(sqlErrors.protocolError('Bulk load data was sent without INSERT BULK.'));
      return out.finish(TokenType.DONE, true);
    }
    try {
      const n = bulk.commit();
      this.server.counters.rowsBulkLoaded += n;
      this.server.counters.countStatement('bulkLoad');
      this.state.rowCount = n;
      out.pendingDone(DoneStatus.COUNT, 0, n);
    } catch (e) {
      out.error(asSqlError(e));
      return out.finish(TokenType.DONE, true);
    }
    await out.finish(TokenType.DONE);
  }

  // ---- accessors for ResponseStream ------------------------------------------------------------
  /** @internal */ get tdsWriter(): TdsWriter { return this.writer; }
  /** @internal */ get serverName(): string { return this.server.serverName; }
  /** @internal */ get counters(): Counters { return this.server.counters; }
  /** @internal */ get faults(): Faults { return this.server.faults; }
  /** @internal */ get noCount(): boolean { return this.state.noCount; }
  /** @internal */ get attentionRequested(): boolean { return this.attention || this.phase === 'closed'; }
  /** @internal */ get inTransaction(): boolean { return this.state.tranCount > 0; }
}

function asSqlError(e: unknown): SqlError {
  if (e instanceof SqlError) return e;
  console.error('[sqlserver stand-in] internal error', e);
  return new SqlError(8630, `Internal Query Processor Error: the stand-in failed: ${(e as Error)?.message ?? e}`, 1, 16, 'batch');
}

/**
 * Writes one response message: results, errors, env changes and DONE tokens in SQL Server's
 * order. A statement's DONE is held back until it is known whether more follows (DONE_MORE).
 */
class ResponseStream {
  private held: { status: number; curCmd: number; rowCount: number } | undefined;
  private failed = false;

  constructor(private readonly session: Session, private readonly mode: 'batch' | 'rpc') {}

  private get w(): TdsWriter {
    return this.session.tdsWriter;
  }

  private doneToken(): DoneToken {
    return this.mode === 'rpc' ? TokenType.DONEINPROC : TokenType.DONE;
  }

  private releaseHeld(more: boolean): void {
    if (!this.held) return;
    const h = this.held;
    this.held = undefined;
    writeDone(this.w, this.doneToken(), h.status | (more ? DoneStatus.MORE : 0), h.curCmd, h.rowCount);
  }

  pendingDone(status: number, curCmd: number, rowCount: number): void {
    this.releaseHeld(true);
    this.held = { status, curCmd, rowCount };
  }

  envChange(c: EnvChange): void {
    this.releaseHeld(true);
    if (c.kind === 'database') writeEnvChangeString(this.w, EnvChangeType.DATABASE, c.newValue, c.oldValue);
    else if (c.kind === 'begin') writeBeginTransaction(this.w, c.descriptor);
    else writeEndTransaction(this.w, c.kind === 'commit', c.descriptor);
  }

  error(err: SqlError): void {
    this.releaseHeld(true);
    this.failed = true;
    writeError(this.w, err, this.session.serverName, '', err.line ?? 1);
    // The failed statement's own DONE carries DONE_ERROR.
    this.held = { status: DoneStatus.ERROR, curCmd: 0, rowCount: 0 };
  }

  returnValue(ordinal: number, name: string, type: SqlType, value: Value): void {
    this.releaseHeld(true);
    writeReturnValue(this.w, ordinal, name, type, value);
  }

  /** Sends one statement's results; false if the client cancelled or the connection dropped. */
  async result(r: StatementResult): Promise<boolean> {
    if (r.error) {
      this.error(r.error);
      return true;
    }
    for (const c of r.envChanges) this.envChange(c);
    for (const i of r.infos) {
      this.releaseHeld(true);
      writeInfo(this.w, i.number, i.message, this.session.serverName, i.state ?? 1, i.severity ?? 0);
    }
    if (r.resultSet) {
      this.releaseHeld(true);
      const sent = await this.rows(r.resultSet);
      if (sent < 0) return false;
    }
    if (r.done) {
      const count = r.rowCount !== undefined && !this.session.noCount;
      this.pendingDone(count ? DoneStatus.COUNT : 0, r.curCmd, count ? r.rowCount! : 0);
    }
    return true;
  }

  /** Streams a result set with backpressure; -1 when interrupted (attention / drop fault). */
  private async rows(rs: ResultSet): Promise<number> {
    const w = this.w;
    const counters = this.session.counters;
    writeColMetadata(w, rs.columns);
    const encoder = new RowEncoder(rs.columns);
    const dropAfter = this.session.faults.takeDropAfter('result');
    const count = rs.rows.count;
    const limit = dropAfter === undefined ? count : Math.min(count, dropAfter);
    const reader = new ResultRowReader(rs);
    let i = 0;
    while (i < limit) {
      const start = i;
      for (; i < limit && w.pos < w.flushAt; i++) reader.write(w, encoder);
      counters.rowsStreamed += i - start;
      if (w.pos >= w.flushAt) {
        const p = w.flush();
        if (p) await p;
      }
      if (this.session.attentionRequested) return -1;
    }
    if (dropAfter !== undefined && dropAfter < count) {
      const p = w.flush();
      if (p) await p;
      this.session.close();
      return -1;
    }
    return count;
  }

  /** Ends a SQL batch / TM response. */
  async finish(token: DoneToken, error = false): Promise<void> {
    if (this.session.attentionRequested) return this.acknowledgeAttention();
    if (this.mode === 'rpc') return this.finishProc(!error && !this.failed);
    if (this.held) {
      const h = this.held;
      this.held = undefined;
      writeDone(this.w, token, h.status | (error ? DoneStatus.ERROR : 0), h.curCmd, h.rowCount);
    } else {
      writeDone(this.w, token, error ? DoneStatus.ERROR : DoneStatus.FINAL, 0, 0);
    }
    const p = this.w.end();
    if (p) await p;
  }

  /**
   * After an ATTENTION: the interrupted response is ended where it stopped (tokens are never
   * cut), and the acknowledgement (DONE with DONE_ATTN) follows as a message of its own,
   * which is where tedious reads it.
   */
  private async acknowledgeAttention(): Promise<void> {
    this.held = undefined;
    writeDone(this.w, this.mode === 'rpc' ? TokenType.DONEPROC : TokenType.DONE, DoneStatus.ERROR, 0, 0);
    await this.w.end();
    writeDone(this.w, TokenType.DONE, DoneStatus.ATTN, 0, 0);
    await this.w.end();
  }

  /** Ends an RPC response: DONEINPROC(s), RETURNSTATUS, DONEPROC. */
  async finishProc(ok: boolean): Promise<void> {
    if (this.session.attentionRequested) return this.acknowledgeAttention();
    this.releaseHeld(true);
    writeReturnStatus(this.w, ok && !this.failed ? 0 : -6);
    writeDone(this.w, TokenType.DONEPROC, ok && !this.failed ? DoneStatus.FINAL : DoneStatus.ERROR, 0xe0, 0);
    const p = this.w.end();
    if (p) await p;
  }
}
