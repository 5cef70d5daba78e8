import { SqlError, sqlErrors } from '../errors';
import { Decimal, makeType, type SqlType } from '../types';
import type { StatementBody, Assignment, ColumnDefinition, Expr, FromClause, ObjectName, OrderItem, SelectItem, SelectStmt, Statement, TableSource } from './ast';
import { tokenize, type Token } from './lexer';

/**
 * Recursive-descent parser for the T-SQL subset the stand-in executes (see README.md).
 * Words SQL Server reserves are never taken as identifiers unless quoted; constructs that
 * are valid T-SQL but not implemented are refused with 40517 rather than misread.
 */
const RESERVED = new Set(
  ('ADD ALL ALTER AND ANY AS ASC BEGIN BETWEEN BREAK BULK BY CASCADE CASE CHECK CLUSTERED COLLATE COLUMN COMMIT ' +
    'CONSTRAINT CONTINUE CREATE CROSS CURRENT CURSOR DATABASE DECLARE DEFAULT DELETE DESC DISTINCT DROP ELSE END ' +
    'ESCAPE EXCEPT EXEC EXECUTE EXISTS FETCH FOR FOREIGN FROM FULL FUNCTION GOTO GRANT GROUP HAVING IDENTITY IF IN ' +
    'INDEX INNER INSERT INTERSECT INTO IS JOIN KEY LEFT LIKE MERGE NONCLUSTERED NOT NULL OF OFF ON OPTION OR ORDER ' +
    'OUTER OVER PERCENT PIVOT PRIMARY PRINT PROC PROCEDURE REFERENCES RETURN REVOKE RIGHT ROLLBACK SAVE SCHEMA SELECT ' +
    'SET TABLE THEN TO TOP TRAN TRANSACTION TRUNCATE UNION UNIQUE UPDATE USE USING VALUES VIEW WHEN WHERE WHILE WITH').split(' '),
);

export function parseBatch(sql: string): Statement[] {
  return new Parser(sql).parseStatements();
}

/** Parses a standalone expression or type list (e.g. sp_executesql's @params). */
export function parseParameterDeclarations(text: string): { name: string; type: SqlType; output: boolean }[] {
  const p = new Parser(text);
  const out: { name: string; type: SqlType; output: boolean }[] = [];
  while (!p.atEnd()) {
    const t = p.next();
    if (t.kind !== 'var') throw sqlErrors.syntax(t.text);
    const type = p.parseDataType();
    const output = p.acceptWord('OUTPUT') || p.acceptWord('OUT');
    out.push({ name: t.value, type, output });
    if (!p.acceptOp(',')) break;
  }
  if (!p.atEnd()) throw sqlErrors.syntax(p.peek().text);
  return out;
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly sql: string) {
    this.tokens = tokenize(sql);
  }

  // ---- token helpers -------------------------------------------------------------------
  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }
  isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && !t.quoted && t.value.toUpperCase() === word;
  }
  acceptWord(word: string): boolean {
    if (this.isWord(word)) {
      this.i++;
      return true;
    }
    return false;
  }
  expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.error();
  }
  isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.value === op;
  }
  acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.i++;
      return true;
    }
    return false;
  }
  expectOp(op: string): void {
    if (!this.acceptOp(op)) throw this.error();
  }
  /** "Incorrect syntax near ..." for the current token, with its line. */
  error(t: Token = this.peek()): SqlError {
    let e: SqlError;
    if (t.kind === 'eof') {
      const prev = this.tokens[this.i - 1];
      e = sqlErrors.syntax(prev ? prev.text : '');
    } else if (t.kind === 'ident' && !t.quoted && RESERVED.has(t.value.toUpperCase())) {
      e = sqlErrors.syntaxKeyword(t.value.toUpperCase());
    } else {
      e = sqlErrors.syntax(t.text);
    }
    e.line = t.line;
    return e;
  }
  unsupported(feature: string): SqlError {
    const e = sqlErrors.notSupported(feature);
    e.line = this.peek().line;
    return e;
  }
  identifier(): string {
    const t = this.peek();
    if (t.kind !== 'ident' || (!t.quoted && RESERVED.has(t.value.toUpperCase()))) throw this.error();
    this.i++;
    return t.value;
  }
  isIdentifier(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && (t.quoted || !RESERVED.has(t.value.toUpperCase()));
  }
  objectName(): ObjectName {
    const start = this.peek();
    const parts: string[] = [this.identifier()];
    while (this.isOp('.')) {
      this.i++;
      if (this.isOp('.')) {
        parts.push(''); // db..table means the default schema
        continue;
      }
      parts.push(this.identifier());
    }
    if (parts.length > 4) throw this.error(start);
    if (parts.length === 4) parts.shift(); // server.db.schema.object: the server is us
    return { parts, text: parts.filter((p) => p !== '').join('.') };
  }

  // ---- statements ----------------------------------------------------------------------
  parseStatements(): Statement[] {
    const out: Statement[] = [];
    while (!this.atEnd()) {
      if (this.acceptOp(';')) continue;
      out.push(this.statement());
    }
    return out;
  }

  private statement(): Statement {
    const first = this.peek();
    const startIndex = this.i;
    const stmt = this.statementBody();
    const text = this.tokens.slice(startIndex, this.i).map((t) => t.text).join(' ');
    return Object.assign(stmt, { line: first.line, text }) as Statement;
  }

  private statementBody(): StatementBody {
    const t = this.peek();
    if (t.kind === 'op' && t.value === '(') return this.select();
    if (t.kind !== 'ident' || t.quoted) throw this.error();
    const w = t.value.toUpperCase();
    switch (w) {
      case 'SELECT': return this.select();
      case 'WITH': throw this.unsupported('WITH (common table expressions)');
      case 'INSERT': return this.insert();
      case 'UPDATE': return this.update();
      case 'DELETE': return this.delete();
      case 'MERGE': return this.merge();
      case 'CREATE': return this.create();
      case 'DROP': return this.drop();
      case 'TRUNCATE': {
        this.next();
        this.expectWord('TABLE');
        return { kind: 'truncate', name: this.objectName() };
      }
      case 'ALTER': return this.alter();
      case 'EXEC': case 'EXECUTE': return this.exec();
      case 'BEGIN': {
        if (this.isWord('TRAN', 1) || this.isWord('TRANSACTION', 1)) {
          this.i += 2;
          return { kind: 'tran', op: 'BEGIN', name: this.optionalTranName() };
        }
        if (this.isWord('DISTRIBUTED', 1)) throw this.unsupported('BEGIN DISTRIBUTED TRANSACTION');
        if (this.isWord('TRY', 1)) throw this.unsupported('BEGIN TRY');
        this.next();
        const statements: Statement[] = [];
        while (!this.isWord('END')) {
          if (this.atEnd()) throw this.error();
          if (this.acceptOp(';')) continue;
          statements.push(this.statement());
        }
        this.next();
        return { kind: 'block', statements };
      }
      case 'COMMIT': case 'ROLLBACK': {
        this.next();
        if (!this.acceptWord('TRAN') && !this.acceptWord('TRANSACTION')) this.acceptWord('WORK');
        return { kind: 'tran', op: w as 'COMMIT' | 'ROLLBACK', name: this.optionalTranName() };
      }
      case 'SAVE': {
        this.next();
        if (!this.acceptWord('TRAN')) this.expectWord('TRANSACTION');
        return { kind: 'tran', op: 'SAVE', name: this.optionalTranName() };
      }
      case 'SET': return this.set();
      case 'PRINT': {
        this.next();
        return { kind: 'print', message: this.expr() };
      }
      case 'THROW': {
        // THROW number, message, state (error class is always 16)
        this.next();
        const number = this.expr();
        this.expectOp(',');
        const message = this.expr();
        this.expectOp(',');
        return { kind: 'throw', number, message, state: this.expr() };
      }
      case 'RAISERROR': {
        // RAISERROR (message, severity, state) without substitution arguments or WITH options
        this.next();
        this.expectOp('(');
        const message = this.expr();
        this.expectOp(',');
        const severity = this.expr();
        this.expectOp(',');
        const state = this.expr();
        if (this.isOp(',')) throw this.unsupported('RAISERROR arguments');
        this.expectOp(')');
        if (this.isWord('WITH')) throw this.unsupported('RAISERROR WITH');
        return { kind: 'throw', number: { kind: 'literal', value: 50000, type: { name: 'int' } }, message, state, severity };
      }
      case 'DECLARE': return this.declare();
      case 'USE': {
        this.next();
        return { kind: 'use', database: this.identifier() };
      }
      case 'IF': {
        this.next();
        const condition = this.expr();
        const then = this.statement();
        let otherwise: Statement | undefined;
        if (this.acceptWord('ELSE')) otherwise = this.statement();
        return { kind: 'if', condition, then, else: otherwise };
      }
      default:
        if (RESERVED.has(w)) throw this.unsupported(w);
        // A bare procedure name at the start of a batch is an EXEC.
        if (this.i === 0) return this.execBody();
        throw this.error();
    }
  }

  private optionalTranName(): string | undefined {
    const t = this.peek();
    if (t.kind === 'var' || this.isIdentifier()) {
      this.next();
      return t.value;
    }
    return undefined;
  }

  // ---- SELECT ----------------------------------------------------------------------------
  select(): SelectStmt {
    if (this.acceptOp('(')) {
      const s = this.select();
      this.expectOp(')');
      return s;
    }
    this.expectWord('SELECT');
    const s: SelectStmt = { kind: 'select', distinct: false, items: [] };
    if (this.acceptWord('DISTINCT')) s.distinct = true;
    else this.acceptWord('ALL');
    if (this.acceptWord('TOP')) {
      if (this.acceptOp('(')) {
        s.top = this.expr();
        this.expectOp(')');
      } else {
        s.top = this.primary();
      }
      if (this.isWord('PERCENT')) throw this.unsupported('TOP PERCENT');
      if (this.isWord('WITH')) throw this.unsupported('WITH TIES');
    }
    do s.items.push(this.selectItem());
    while (this.acceptOp(','));
    if (this.isWord('INTO')) throw this.unsupported('SELECT INTO');
    if (this.acceptWord('FROM')) s.from = this.fromClause();
    if (this.acceptWord('WHERE')) s.where = this.expr();
    if (this.acceptWord('GROUP')) {
      this.expectWord('BY');
      if (this.isWord('ROLLUP') || this.isWord('CUBE') || this.isWord('GROUPING')) throw this.unsupported(this.peek().value.toUpperCase());
      s.groupBy = [];
      do s.groupBy.push(this.expr());
      while (this.acceptOp(','));
    }
    if (this.acceptWord('HAVING')) s.having = this.expr();
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      s.orderBy = [];
      do {
        const expr = this.expr();
        const desc = this.acceptWord('DESC');
        if (!desc) this.acceptWord('ASC');
        s.orderBy.push({ expr, desc } as OrderItem);
      } while (this.acceptOp(','));
      if (this.acceptWord('OFFSET')) {
        s.offset = this.expr();
        if (!this.acceptWord('ROWS')) this.expectWord('ROW');
        if (this.acceptWord('FETCH')) {
          if (!this.acceptWord('NEXT')) this.expectWord('FIRST');
          s.fetch = this.expr();
          if (!this.acceptWord('ROWS')) this.expectWord('ROW');
          this.expectWord('ONLY');
        }
      }
    }
    if (this.isWord('UNION') || this.isWord('EXCEPT') || this.isWord('INTERSECT')) throw this.unsupported(this.peek().value.toUpperCase());
    if (this.isWord('FOR')) throw this.unsupported('FOR XML/JSON');
    if (this.isWord('OPTION')) throw this.unsupported('OPTION');
    return s;
  }

  private selectItem(): SelectItem {
    if (this.acceptOp('*')) return { kind: 'star' };
    if (this.isIdentifier() && this.isOp('.', 1) && this.isOp('*', 2)) {
      const qualifier = this.identifier();
      this.i += 2;
      return { kind: 'star', qualifier };
    }
    const t = this.peek();
    if (t.kind === 'var' && this.isOp('=', 1)) throw this.unsupported('SELECT @variable = expression');
    // "alias = expr" form
    if (this.isIdentifier() && this.isOp('=', 1)) {
      const alias = this.identifier();
      this.next();
      const start = this.i;
      const expr = this.expr();
      return { kind: 'expr', expr, alias, text: this.textOf(start) };
    }
    const start = this.i;
    const expr = this.expr();
    const text = this.textOf(start);
    let alias: string | undefined;
    if (this.acceptWord('AS')) alias = this.aliasName();
    else if (this.isIdentifier() || this.peek().kind === 'string') alias = this.aliasName();
    return { kind: 'expr', expr, alias, text };
  }

  private aliasName(): string {
    const t = this.peek();
    if (t.kind === 'string') {
      this.next();
      return t.value;
    }
    return this.identifier();
  }

  private textOf(start: number): string {
    return this.tokens.slice(start, this.i).map((t) => t.text).join('');
  }

  private fromClause(): FromClause {
    const from: FromClause = { source: this.tableSource(), joins: [] };
    for (;;) {
      if (this.acceptOp(',')) {
        from.joins.push({ type: 'CROSS', source: this.tableSource() });
        continue;
      }
      let type: 'INNER' | 'LEFT' | 'CROSS' | undefined;
      if (this.acceptWord('JOIN')) type = 'INNER';
      else if (this.isWord('INNER')) { this.next(); this.expectWord('JOIN'); type = 'INNER'; }
      else if (this.isWord('LEFT')) { this.next(); this.acceptWord('OUTER'); this.expectWord('JOIN'); type = 'LEFT'; }
      else if (this.isWord('CROSS')) {
        if (this.isWord('APPLY', 1)) throw this.unsupported('CROSS APPLY');
        this.next(); this.expectWord('JOIN'); type = 'CROSS';
      }
      else if (this.isWord('RIGHT') || this.isWord('FULL')) throw this.unsupported(`${this.peek().value.toUpperCase()} JOIN`);
      else if (this.isWord('OUTER') && this.isWord('APPLY', 1)) throw this.unsupported('OUTER APPLY');
      if (!type) break;
      const source = this.tableSource();
      let on: Expr | undefined;
      if (type !== 'CROSS') {
        this.expectWord('ON');
        on = this.expr();
      }
      from.joins.push({ type, source, on });
    }
    return from;
  }

  private tableSource(): TableSource {
    if (this.acceptOp('(')) {
      if (this.isWord('VALUES')) {
        this.next();
        const rows = this.valuesRows();
        this.expectOp(')');
        this.acceptWord('AS');
        const alias = this.identifier();
        const columns: string[] = [];
        if (this.acceptOp('(')) {
          do columns.push(this.identifier());
          while (this.acceptOp(','));
          this.expectOp(')');
        }
        return { kind: 'values', rows, alias, columns };
      }
      const select = this.select();
      this.expectOp(')');
      this.acceptWord('AS');
      return { kind: 'subquery', select, alias: this.identifier() };
    }
    const name = this.objectName();
    if (this.isOp('(')) throw this.unsupported('table-valued functions');
    let alias: string | undefined;
    if (this.acceptWord('AS')) alias = this.identifier();
    else if (this.isIdentifier()) alias = this.identifier();
    this.tableHints();
    return { kind: 'table', name, alias };
  }

  /** WITH (TABLOCK, NOLOCK, HOLDLOCK, ...): table hints only steer locking, so they are skipped. */
  private tableHints(): void {
    if (!(this.isWord('WITH') && this.isOp('(', 1))) return;
    this.i += 2;
    while (!this.acceptOp(')')) {
      if (this.atEnd()) throw this.error();
      this.next();
    }
  }

  private valuesRows(): Expr[][] {
    const rows: Expr[][] = [];
    do {
      this.expectOp('(');
      const row: Expr[] = [];
      do row.push(this.isWord('DEFAULT') ? (this.next(), { kind: 'call', name: 'DEFAULT', args: [], star: false, distinct: false }) : this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
      rows.push(row);
    } while (this.acceptOp(','));
    return rows;
  }

  // ---- DML -------------------------------------------------------------------------------
  private insert(): StatementBody {
    this.expectWord('INSERT');
    if (this.isWord('BULK')) return this.insertBulk();
    this.acceptWord('INTO');
    const table = this.objectName();
    this.tableHints();
    let columns: string[] | undefined;
    if (this.acceptOp('(')) {
      columns = [];
      do columns.push(this.identifier());
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    if (this.isWord('OUTPUT')) throw this.unsupported('OUTPUT');
    if (this.acceptWord('VALUES')) return { kind: 'insert', table, columns, values: this.valuesRows() };
    if (this.acceptWord('DEFAULT')) {
      this.expectWord('VALUES');
      return { kind: 'insert', table, columns, defaultValues: true };
    }
    if (this.isWord('SELECT') || this.isOp('(')) return { kind: 'insert', table, columns, select: this.select() };
    if (this.isWord('EXEC') || this.isWord('EXECUTE')) throw this.unsupported('INSERT ... EXEC');
    throw this.error();
  }

  private insertBulk(): StatementBody {
    this.expectWord('BULK');
    const table = this.objectName();
    const columns: { name: string; type: SqlType; nullable?: boolean }[] = [];
    this.expectOp('(');
    do {
      const name = this.identifier();
      const type = this.parseDataType();
      if (this.acceptWord('COLLATE')) this.identifier();
      let nullable: boolean | undefined;
      if (this.acceptWord('NULL')) nullable = true;
      else if (this.isWord('NOT')) { this.next(); this.expectWord('NULL'); nullable = false; }
      columns.push({ name, type, nullable });
    } while (this.acceptOp(','));
    this.expectOp(')');
    const options: string[] = [];
    if (this.acceptWord('WITH')) {
      this.expectOp('(');
      do {
        const opt = this.next();
        if (opt.kind !== 'ident') throw this.error(opt);
        const name = opt.value.toUpperCase();
        if (name === 'ORDER') {
          this.expectOp('(');
          do {
            this.identifier();
            if (!this.acceptWord('ASC')) this.acceptWord('DESC');
          } while (this.acceptOp(','));
          this.expectOp(')');
        } else if (name === 'ROWS_PER_BATCH' || name === 'KILOBYTES_PER_BATCH') {
          this.expectOp('=');
          this.next();
        }
        options.push(name);
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    return { kind: 'insertBulk', table, columns, options };
  }

  private assignments(): Assignment[] {
    const sets: Assignment[] = [];
    do {
      const t = this.peek();
      if (t.kind === 'var') throw this.unsupported('SET @variable in UPDATE');
      const name = this.objectName();
      this.expectOp('=');
      sets.push({ column: name.parts[name.parts.length - 1], expr: this.expr() });
    } while (this.acceptOp(','));
    return sets;
  }

  private update(): StatementBody {
    this.expectWord('UPDATE');
    if (this.isWord('TOP')) throw this.unsupported('UPDATE TOP');
    const table = this.objectName();
    this.expectWord('SET');
    const sets = this.assignments();
    if (this.isWord('OUTPUT')) throw this.unsupported('OUTPUT');
    if (this.isWord('FROM')) throw this.unsupported('UPDATE ... FROM');
    let where: Expr | undefined;
    if (this.acceptWord('WHERE')) where = this.expr();
    return { kind: 'update', table, sets, where };
  }

  private delete(): StatementBody {
    this.expectWord('DELETE');
    if (this.isWord('TOP')) throw this.unsupported('DELETE TOP');
    this.acceptWord('FROM');
    const table = this.objectName();
    if (this.isWord('OUTPUT')) throw this.unsupported('OUTPUT');
    if (this.isWord('FROM')) throw this.unsupported('DELETE ... FROM');
    let where: Expr | undefined;
    if (this.acceptWord('WHERE')) where = this.expr();
    return { kind: 'delete', table, where };
  }

  private merge(): StatementBody {
    this.expectWord('MERGE');
    if (this.isWord('TOP')) throw this.unsupported('MERGE TOP');
    this.acceptWord('INTO');
    const target = this.objectName();
    this.tableHints();
    let targetAlias: string | undefined;
    if (this.acceptWord('AS')) targetAlias = this.identifier();
    else if (this.isIdentifier()) targetAlias = this.identifier();
    this.expectWord('USING');
    const source = this.tableSource();
    this.expectWord('ON');
    const on = this.expr();
    const stmt: any = { kind: 'merge', target, targetAlias, source, on };
    while (this.acceptWord('WHEN')) {
      const not = this.acceptWord('NOT');
      this.expectWord('MATCHED');
      let bySource = false;
      if (this.acceptWord('BY')) {
        const by = this.identifier().toUpperCase();
        if (by === 'SOURCE') bySource = true;
        else if (by !== 'TARGET') throw this.error();
      }
      let and: Expr | undefined;
      if (this.acceptWord('AND')) and = this.expr();
      this.expectWord('THEN');
      if (!not) {
        if (stmt.matched) throw this.error();
        stmt.matched = this.mergeMatchedAction(and);
      } else if (bySource) {
        stmt.notMatchedBySource = this.mergeMatchedAction(and);
      } else {
        this.expectWord('INSERT');
        let columns: string[] | undefined;
        if (this.acceptOp('(')) {
          columns = [];
          do columns.push(this.identifier());
          while (this.acceptOp(','));
          this.expectOp(')');
        }
        this.expectWord('VALUES');
        const [values] = this.valuesRowsSingle();
        stmt.notMatched = { and, columns, values };
      }
    }
    if (this.isWord('OUTPUT')) throw this.unsupported('OUTPUT');
    if (!this.acceptOp(';')) throw sqlErrors.syntax(this.tokens[this.i - 1].text); // MERGE must be terminated by a semicolon
    this.i--; // leave the ';' for the statement loop
    return stmt;
  }

  private valuesRowsSingle(): Expr[][] {
    this.expectOp('(');
    const row: Expr[] = [];
    do row.push(this.expr());
    while (this.acceptOp(','));
    this.expectOp(')');
    return [row];
  }

  private mergeMatchedAction(and?: Expr) {
    if (this.acceptWord('DELETE')) return { and, action: 'delete' as const };
    this.expectWord('UPDATE');
    this.expectWord('SET');
    return { and, action: 'update' as const, sets: this.assignments() };
  }

  // ---- DDL -------------------------------------------------------------------------------
  private create(): StatementBody {
    this.expectWord('CREATE');
    if (this.acceptWord('SCHEMA')) {
      const name = this.identifier();
      if (this.isWord('AUTHORIZATION')) {
        this.next();
        this.identifier();
      }
      return { kind: 'createSchema', name };
    }
    if (!this.acceptWord('TABLE')) throw this.unsupported(`CREATE ${this.peek().value.toUpperCase()}`);
    const name = this.objectName();
    this.expectOp('(');
    const columns: ColumnDefinition[] = [];
    let primaryKey: { name?: string; columns: string[] } | undefined;
    do {
      if (this.isWord('CONSTRAINT') || this.isWord('PRIMARY')) {
        let constraintName: string | undefined;
        if (this.acceptWord('CONSTRAINT')) constraintName = this.identifier();
        if (!this.acceptWord('PRIMARY')) throw this.unsupported(this.peek().value.toUpperCase() + ' constraints');
        this.expectWord('KEY');
        if (!this.acceptWord('CLUSTERED')) this.acceptWord('NONCLUSTERED');
        this.expectOp('(');
        const cols: string[] = [];
        do {
          cols.push(this.identifier());
          if (!this.acceptWord('ASC')) this.acceptWord('DESC');
        } while (this.acceptOp(','));
        this.expectOp(')');
        if (primaryKey) throw new SqlError(8110, `Cannot add multiple PRIMARY KEY constraints to table '${name.text}'.`, 1, 16, 'batch');
        primaryKey = { name: constraintName, columns: cols };
        continue;
      }
      if (this.isWord('UNIQUE') || this.isWord('FOREIGN') || this.isWord('CHECK') || this.isWord('INDEX')) throw this.unsupported(this.peek().value.toUpperCase());
      const col = this.columnDefinition();
      if (col.primaryKey) {
        if (primaryKey) throw new SqlError(8110, `Cannot add multiple PRIMARY KEY constraints to table '${name.text}'.`, 1, 16, 'batch');
        primaryKey = { name: (col as any).constraintName, columns: [col.name] };
      }
      columns.push(col);
    } while (this.acceptOp(','));
    this.expectOp(')');
    if (this.isWord('WITH') || this.isWord('ON')) throw this.unsupported(this.peek().value.toUpperCase() + ' table options');
    return { kind: 'createTable', name, columns, primaryKey };
  }

  private columnDefinition(): ColumnDefinition {
    const name = this.identifier();
    if (this.isWord('AS')) throw this.unsupported('computed columns');
    const col: ColumnDefinition & { constraintName?: string } = { name, type: this.parseDataType() };
    for (;;) {
      if (this.acceptWord('NULL')) col.nullable = true;
      else if (this.isWord('NOT') && this.isWord('NULL', 1)) { this.i += 2; col.nullable = false; }
      else if (this.acceptWord('IDENTITY')) {
        col.identity = { seed: 1n, increment: 1n };
        if (this.acceptOp('(')) {
          col.identity.seed = BigInt(this.signedInteger());
          this.expectOp(',');
          col.identity.increment = BigInt(this.signedInteger());
          this.expectOp(')');
        }
      } else if (this.isWord('CONSTRAINT')) {
        this.next();
        col.constraintName = this.identifier();
      } else if (this.isWord('PRIMARY')) {
        this.next();
        this.expectWord('KEY');
        if (!this.acceptWord('CLUSTERED')) this.acceptWord('NONCLUSTERED');
        col.primaryKey = true;
      } else if (this.isWord('COLLATE')) {
        throw this.unsupported('COLLATE');
      } else if (this.isWord('DEFAULT') || this.isWord('UNIQUE') || this.isWord('CHECK') || this.isWord('REFERENCES') || this.isWord('FOREIGN')) {
        throw this.unsupported(this.peek().value.toUpperCase());
      } else break;
    }
    return col;
  }

  private signedInteger(): string {
    const neg = this.acceptOp('-');
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) throw this.error(t);
    return (neg ? '-' : '') + t.value;
  }

  parseDataType(): SqlType {
    const nameToken = this.peek();
    if (nameToken.kind !== 'ident') throw this.error();
    this.next();
    let name = nameToken.value;
    // Multi-word type names
    if (/^(double)$/i.test(name) && this.acceptWord('PRECISION')) name = 'double precision';
    if (/^(national)$/i.test(name)) {
      const w = this.identifier();
      name = `national ${w}`;
      if (this.acceptWord('VARYING')) name += ' varying';
    } else if (/^(char|character|binary)$/i.test(name) && this.acceptWord('VARYING')) name += ' varying';
    if (this.isOp('.')) {
      // sys.int etc.
      this.next();
      name = this.identifier();
    }
    const args: (number | 'max')[] = [];
    if (this.acceptOp('(')) {
      do {
        const t = this.next();
        if (t.kind === 'ident' && t.value.toLowerCase() === 'max') args.push('max');
        else if (t.kind === 'number' && /^\d+$/.test(t.value)) args.push(Number(t.value));
        else throw this.error(t);
      } while (this.acceptOp(','));
      this.expectOp(')');
    }
    try {
      return makeType(name, args);
    } catch (e) {
      if (e instanceof SqlError) e.line = nameToken.line;
      throw e;
    }
  }

  private drop(): StatementBody {
    this.expectWord('DROP');
    if (this.acceptWord('SCHEMA')) {
      let ifExists = false;
      if (this.acceptWord('IF')) { this.expectWord('EXISTS'); ifExists = true; }
      return { kind: 'dropSchema', name: this.identifier(), ifExists };
    }
    if (!this.acceptWord('TABLE')) throw this.unsupported(`DROP ${this.peek().value.toUpperCase()}`);
    let ifExists = false;
    if (this.acceptWord('IF')) {
      this.expectWord('EXISTS');
      ifExists = true;
    }
    const names: ObjectName[] = [];
    do names.push(this.objectName());
    while (this.acceptOp(','));
    return { kind: 'dropTable', names, ifExists };
  }

  private alter(): StatementBody {
    this.expectWord('ALTER');
    if (this.acceptWord('SCHEMA')) {
      const schema = this.identifier();
      this.expectWord('TRANSFER');
      if (this.isIdentifier() && this.isOp(':', 1)) throw this.unsupported('TRANSFER class');
      return { kind: 'transfer', schema, object: this.objectName() };
    }
    throw this.unsupported(`ALTER ${this.peek().value.toUpperCase()}`);
  }

  private exec(): StatementBody {
    this.next();
    if (this.peek().kind === 'var' && this.isOp('=', 1)) throw this.unsupported('EXEC @return_status =');
    if (this.acceptOp('(')) {
      const sql = this.expr();
      this.expectOp(')');
      return { kind: 'execDynamic', sql };
    }
    return this.execBody();
  }

  private execBody(): StatementBody {
    const procedure = this.objectName();
    const args: { name?: string; expr: Expr }[] = [];
    if (!this.atEnd() && !this.isOp(';') && !this.isStatementStart()) {
      do {
        let name: string | undefined;
        if (this.peek().kind === 'var' && this.isOp('=', 1)) {
          name = this.next().value;
          this.next();
        }
        const expr = this.expr();
        if (this.isWord('OUTPUT') || this.isWord('OUT')) throw this.unsupported('OUTPUT parameters in EXEC');
        args.push({ name, expr });
      } while (this.acceptOp(','));
    }
    return { kind: 'exec', procedure, args };
  }

  private isStatementStart(): boolean {
    return ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'CREATE', 'DROP', 'EXEC', 'EXECUTE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SET', 'IF', 'USE', 'DECLARE', 'TRUNCATE', 'ALTER'].some((w) => this.isWord(w));
  }

  private set(): StatementBody {
    this.expectWord('SET');
    const t = this.peek();
    if (t.kind === 'var') {
      this.next();
      if (!this.acceptOp('=')) throw this.error();
      return { kind: 'setVar', name: t.value, expr: this.expr() };
    }
    const optionToken = this.next();
    if (optionToken.kind !== 'ident') throw this.error(optionToken);
    let option = optionToken.value.toUpperCase();
    if (option === 'TRANSACTION') {
      this.expectWord('ISOLATION');
      this.expectWord('LEVEL');
      const words: string[] = [];
      while (this.peek().kind === 'ident' && !this.isStatementStart()) words.push(this.next().value.toUpperCase());
      return { kind: 'set', option: 'TRANSACTION ISOLATION LEVEL', value: words.join(' ') };
    }
    if (option === 'IDENTITY_INSERT') {
      const table = this.objectName();
      const v = this.next();
      return { kind: 'set', option, value: v.value.toUpperCase(), table };
    }
    // SET opt1, opt2 ON
    const options = [option];
    while (this.acceptOp(',')) options.push(this.identifier().toUpperCase());
    option = options.join(',');
    const v = this.next();
    if (v.kind === 'eof') throw this.error(v);
    let value = v.kind === 'op' && v.value === '-' ? '-' + this.next().value : v.value;
    if (v.kind === 'ident' && !v.quoted) value = value.toUpperCase();
    return { kind: 'set', option, value };
  }

  private declare(): StatementBody {
    this.expectWord('DECLARE');
    const vars: { name: string; type: SqlType; init?: Expr }[] = [];
    do {
      const t = this.next();
      if (t.kind !== 'var') throw this.error(t);
      this.acceptWord('AS');
      if (this.isWord('TABLE')) throw this.unsupported('table variables');
      const type = this.parseDataType();
      let init: Expr | undefined;
      if (this.acceptOp('=')) init = this.expr();
      vars.push({ name: t.value, type, init });
    } while (this.acceptOp(','));
    return { kind: 'declare', vars };
  }

  // ---- expressions -----------------------------------------------------------------------
  expr(): Expr {
    return this.orExpr();
  }

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.acceptWord('OR')) left = { kind: 'binary', op: 'OR', left, right: this.andExpr() };
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptWord('AND')) left = { kind: 'binary', op: 'AND', left, right: this.notExpr() };
    return left;
  }

  private notExpr(): Expr {
    if (this.acceptWord('NOT')) return { kind: 'unary', op: 'NOT', operand: this.notExpr() };
    return this.predicate();
  }

  private predicate(): Expr {
    if (this.isWord('EXISTS')) throw this.unsupported('EXISTS');
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>=', '!<', '!>'].includes(t.value)) {
      this.next();
      if (this.isWord('ANY') || this.isWord('ALL') || this.isWord('SOME')) throw this.unsupported(this.peek().value.toUpperCase());
      const right = this.additive();
      const op = t.value === '!=' ? '<>' : t.value === '!<' ? '>=' : t.value === '!>' ? '<=' : t.value;
      return { kind: 'binary', op: op as '=', left, right };
    }
    if (this.acceptWord('IS')) {
      const not = this.acceptWord('NOT');
      this.expectWord('NULL');
      return { kind: 'isnull', operand: left, not };
    }
    const not = this.isWord('NOT') && (this.isWord('IN', 1) || this.isWord('LIKE', 1) || this.isWord('BETWEEN', 1));
    if (not) this.next();
    if (this.acceptWord('IN')) {
      this.expectOp('(');
      if (this.isWord('SELECT')) throw this.unsupported('IN (subquery)');
      const list: Expr[] = [];
      do list.push(this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
      return { kind: 'in', operand: left, list, not };
    }
    if (this.acceptWord('LIKE')) {
      const pattern = this.additive();
      if (this.isWord('ESCAPE')) throw this.unsupported('LIKE ... ESCAPE');
      return { kind: 'like', operand: left, pattern, not };
    }
    if (this.acceptWord('BETWEEN')) {
      const low = this.additive();
      this.expectWord('AND');
      return { kind: 'between', operand: left, low, high: this.additive(), not };
    }
    if (not) throw this.error();
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.value === '+' || t.value === '-')) {
        this.next();
        left = { kind: 'binary', op: t.value as '+', left, right: this.multiplicative() };
      } else if (t.kind === 'op' && (t.value === '&' || t.value === '|' || t.value === '^')) {
        throw this.unsupported('bitwise operators');
      } else return left;
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.value === '*' || t.value === '/' || t.value === '%')) {
        this.next();
        left = { kind: 'binary', op: t.value as '*', left, right: this.unary() };
      } else return left;
    }
  }

  private unary(): Expr {
    if (this.acceptOp('-')) {
      const operand = this.unary();
      if (operand.kind === 'literal' && typeof operand.value === 'number') return { ...operand, value: -operand.value };
      if (operand.kind === 'literal' && typeof operand.value === 'bigint') return { ...operand, value: -operand.value };
      if (operand.kind === 'literal' && operand.value instanceof Decimal) return { ...operand, value: new Decimal(-operand.value.unscaled, operand.value.scale) };
      return { kind: 'unary', op: '-', operand };
    }
    if (this.acceptOp('+')) return this.unary();
    if (this.isOp('~')) throw this.unsupported('bitwise operators');
    return this.primary();
  }

  primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number': {
        this.next();
        return numberLiteral(t.value);
      }
      case 'string':
        this.next();
        // A '...' literal is varchar in the server code page: characters outside it become '?'.
        return t.quoted
          ? { kind: 'literal', value: t.value, type: { name: 'nvarchar', length: t.value.length > 4000 ? -1 : Math.max(1, t.value.length) } }
          : { kind: 'literal', value: t.value.replace(/[^\x00-\xff]/g, '?'), type: { name: 'varchar', length: t.value.length > 8000 ? -1 : Math.max(1, t.value.length) } };
      case 'binary':
        this.next();
        return { kind: 'literal', value: Buffer.from(t.value.length % 2 ? '0' + t.value : t.value, 'hex'), type: { name: 'varbinary', length: Math.max(1, Math.ceil(t.value.length / 2)) } };
      case 'var':
        this.next();
        return { kind: 'var', name: t.value };
      case 'sysvar':
        this.next();
        return { kind: 'sysvar', name: t.value.toUpperCase() };
      case 'op':
        if (t.value === '(') {
          this.next();
          if (this.isWord('SELECT')) throw this.unsupported('subqueries');
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        throw this.error();
      case 'ident': {
        const w = t.quoted ? '' : t.value.toUpperCase();
        if (w === 'NULL') {
          this.next();
          return { kind: 'literal', value: null, type: { name: 'int' } };
        }
        if (w === 'CASE') return this.caseExpr();
        if (w === 'CAST' || w === 'TRY_CAST') {
          this.next();
          this.expectOp('(');
          const operand = this.expr();
          this.expectWord('AS');
          const type = this.parseDataType();
          this.expectOp(')');
          return { kind: 'cast', operand, type };
        }
        if (w === 'CONVERT' || w === 'TRY_CONVERT') {
          this.next();
          this.expectOp('(');
          const type = this.parseDataType();
          this.expectOp(',');
          const operand = this.expr();
          if (this.acceptOp(',')) throw this.unsupported('CONVERT style');
          this.expectOp(')');
          return { kind: 'cast', operand, type };
        }
        if (!t.quoted && RESERVED.has(w) && !(w === 'LEFT' || w === 'RIGHT') ) throw this.error();
        // function call?
        if (this.isOp('(', 1)) {
          this.next();
          this.next();
          const args: Expr[] = [];
          let star = false;
          let distinct = false;
          if (this.acceptOp('*')) star = true;
          else if (!this.isOp(')')) {
            if (this.acceptWord('DISTINCT')) distinct = true;
            do args.push(this.expr());
            while (this.acceptOp(','));
          }
          this.expectOp(')');
          if (this.isWord('OVER')) throw this.unsupported('OVER (window functions)');
          return { kind: 'call', name: t.value.toUpperCase(), args, star, distinct };
        }
        // column reference
        const start = this.i;
        const parts: string[] = [this.identifier()];
        while (this.isOp('.') && this.isIdentifier(1)) {
          this.next();
          parts.push(this.identifier());
        }
        if (this.isOp('.') && this.isOp('(', 2)) throw this.unsupported('schema-qualified functions');
        return { kind: 'column', parts, text: this.tokens.slice(start, this.i).map((x) => x.text).join('') };
      }
      default:
        throw this.error();
    }
  }

  private caseExpr(): Expr {
    this.expectWord('CASE');
    let operand: Expr | undefined;
    if (!this.isWord('WHEN')) operand = this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expr();
      this.expectWord('THEN');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) throw this.error();
    let otherwise: Expr | undefined;
    if (this.acceptWord('ELSE')) otherwise = this.expr();
    this.expectWord('END');
    return { kind: 'case', operand, whens, else: otherwise };
  }
}

/** Integer literals are int (or bigint/numeric when larger); decimals are numeric; 1e3 is float. */
function numberLiteral(text: string): Expr {
  if (/[eE]/.test(text)) return { kind: 'literal', value: Number(text), type: { name: 'float' } };
  if (text.includes('.')) {
    const d = Decimal.parse(text)!;
    const digits = d.unscaled.toString().replace('-', '').length;
    const precision = Math.min(38, Math.max(digits, d.scale, 1));
    return { kind: 'literal', value: d, type: { name: 'numeric', precision: Math.max(precision, d.scale), scale: d.scale } };
  }
  const n = BigInt(text);
  if (n <= 2147483647n) return { kind: 'literal', value: Number(n), type: { name: 'int' } };
  if (text.length > 38) throw new SqlError(1007, `The number '${text}' is out of the range for numeric representation (maximum precision 38).`, 1, 15, 'batch');
  // SQL Server types larger integer literals as numeric(p,0)
  return { kind: 'literal', value: new Decimal(n, 0), type: { name: 'numeric', precision: text.length, scale: 0 } };
}
