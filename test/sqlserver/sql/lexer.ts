import { SqlError, sqlErrors } from '../errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'binary' | 'var' | 'sysvar' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier / variable name, string contents, number or hex text, operator symbol. */
  value: string;
  /** For identifiers: written as [x] or "x" (never a keyword). For strings: N'...' */
  quoted: boolean;
  line: number;
  /** The source text of the token, for "Incorrect syntax near '...'" messages. */
  text: string;
}

const OPERATORS = ['<>', '!=', '<=', '>=', '!<', '!>', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', ';', '&', '|', '^', '~'];

/** Splits T-SQL text into tokens; comments and whitespace are dropped. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = sql.length;
  const push = (kind: TokenKind, value: string, text: string, quoted = false) => tokens.push({ kind, value, quoted, line, text });
  /** Reads to the unescaped `close` (written twice to escape it): 'strings', [idents], "idents". */
  const readDelimited = (from: number, close: string): { value: string; end: number } => {
    let j = from;
    let value = '';
    for (;;) {
      if (j >= n) throw new SqlError(105, `Unclosed quotation mark after the character string '${value}'.`, 1, 15, 'batch');
      if (sql[j] === close) {
        if (sql[j + 1] === close) { value += close; j += 2; continue; }
        return { value, end: j + 1 };
      }
      if (sql[j] === '\n') line++;
      value += sql[j++];
    }
  };
  while (i < n) {
    const c = sql[i];
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      // T-SQL block comments nest.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; }
        else if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; }
        else { if (sql[i] === '\n') line++; i++; }
      }
      if (depth > 0) throw new SqlError(113, "Missing end comment mark '*/'.", 1, 15, 'batch');
      continue;
    }
    const startLine = line;
    if (c === "'" || ((c === 'N' || c === 'n') && sql[i + 1] === "'")) {
      const unicode = c !== "'";
      const { value, end } = readDelimited(i + (unicode ? 2 : 1), "'");
      tokens.push({ kind: 'string', value, quoted: unicode, line: startLine, text: sql.slice(i, end) });
      i = end;
      continue;
    }
    if (c === '[' || c === '"') {
      const { value, end } = readDelimited(i + 1, c === '[' ? ']' : '"');
      tokens.push({ kind: 'ident', value, quoted: true, line: startLine, text: sql.slice(i, end) });
      i = end;
      continue;
    }
    if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
      let j = i + 2;
      while (j < n && /[0-9a-fA-F]/.test(sql[j])) j++;
      push('binary', sql.slice(i + 2, j), sql.slice(i, j));
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d*\.?\d*(?:[eE][+-]?\d+)?)/.exec(sql.slice(i, i + 400))!;
      push('number', m[1], m[1]);
      i += m[1].length;
      continue;
    }
    if (c === '@') {
      const sys = sql[i + 1] === '@';
      const m = /^[A-Za-z0-9_@#$]*/.exec(sql.slice(i + (sys ? 2 : 1)))!;
      const name = (sys ? '@@' : '@') + m[0];
      push(sys ? 'sysvar' : 'var', name, name);
      i += name.length;
      continue;
    }
    if (/[A-Za-z_#\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z0-9_#@$\u0080-\uffff]*/.exec(sql.slice(i))!;
      push('ident', m[0], m[0]);
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (!op) throw sqlErrors.syntax(c);
    push('op', op, op);
    i += op.length;
  }
  tokens.push({ kind: 'eof', value: '', quoted: false, line, text: '' });
  return tokens;
}
