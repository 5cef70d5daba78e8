import type { SqlType, Value } from '../types';

/** A possibly qualified name: [database].[schema].[object], last part always present. */
export interface ObjectName {
  parts: string[];
  text: string;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

export type Expr =
  | { kind: 'literal'; value: Value; type: SqlType }
  | { kind: 'column'; parts: string[]; text: string }
  | { kind: 'var'; name: string }
  | { kind: 'sysvar'; name: string }
  | { kind: 'unary'; op: '-' | '+' | 'NOT'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'isnull'; operand: Expr; not: boolean }
  | { kind: 'in'; operand: Expr; list: Expr[]; not: boolean }
  | { kind: 'between'; operand: Expr; low: Expr; high: Expr; not: boolean }
  | { kind: 'like'; operand: Expr; pattern: Expr; not: boolean }
  | { kind: 'call'; name: string; args: Expr[]; star: boolean; distinct: boolean }
  | { kind: 'cast'; operand: Expr; type: SqlType }
  | { kind: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; else?: Expr };

export type SelectItem =
  | { kind: 'star'; qualifier?: string }
  | { kind: 'expr'; expr: Expr; alias?: string; text: string };

export type TableSource =
  | { kind: 'table'; name: ObjectName; alias?: string }
  | { kind: 'values'; rows: Expr[][]; alias: string; columns: string[] }
  | { kind: 'subquery'; select: SelectStmt; alias: string };

export interface Join {
  type: 'INNER' | 'LEFT' | 'CROSS';
  source: TableSource;
  on?: Expr;
}

export interface FromClause {
  source: TableSource;
  joins: Join[];
}

export interface OrderItem {
  expr: Expr;
  desc: boolean;
}

export interface SelectStmt {
  kind: 'select';
  distinct: boolean;
  top?: Expr;
  items: SelectItem[];
  from?: FromClause;
  where?: Expr;
  groupBy?: Expr[];
  having?: Expr;
  orderBy?: OrderItem[];
  offset?: Expr;
  fetch?: Expr;
}

export interface ColumnDefinition {
  name: string;
  type: SqlType;
  nullable?: boolean;
  identity?: { seed: bigint; increment: bigint };
  primaryKey?: boolean;
}

export interface Assignment {
  column: string;
  expr: Expr;
}

export type Statement = (
  | SelectStmt
  | { kind: 'insert'; table: ObjectName; columns?: string[]; values?: Expr[][]; select?: SelectStmt; defaultValues?: boolean }
  | { kind: 'update'; table: ObjectName; sets: Assignment[]; where?: Expr }
  | { kind: 'delete'; table: ObjectName; where?: Expr }
  | {
      kind: 'merge';
      target: ObjectName;
      targetAlias?: string;
      source: TableSource;
      on: Expr;
      matched?: { and?: Expr; action: 'update'; sets: Assignment[] } | { and?: Expr; action: 'delete' };
      notMatched?: { and?: Expr; columns?: string[]; values: Expr[] };
      notMatchedBySource?: { and?: Expr; action: 'delete' } | { and?: Expr; action: 'update'; sets: Assignment[] };
    }
  | { kind: 'createTable'; name: ObjectName; columns: ColumnDefinition[]; primaryKey?: { name?: string; columns: string[] } }
  | { kind: 'dropTable'; names: ObjectName[]; ifExists: boolean }
  | { kind: 'truncate'; name: ObjectName }
  | { kind: 'createSchema'; name: string }
  | { kind: 'dropSchema'; name: string; ifExists: boolean }
  | { kind: 'transfer'; schema: string; object: ObjectName }
  | { kind: 'exec'; procedure: ObjectName; args: { name?: string; expr: Expr }[] }
  | { kind: 'execDynamic'; sql: Expr }
  | { kind: 'print'; message: Expr }
  | { kind: 'throw'; number: Expr; message: Expr; state: Expr; severity?: Expr }
  | { kind: 'tran'; op: 'BEGIN' | 'COMMIT' | 'ROLLBACK' | 'SAVE'; name?: string }
  | { kind: 'set'; option: string; value: string; table?: ObjectName }
  | { kind: 'setVar'; name: string; expr: Expr }
  | { kind: 'declare'; vars: { name: string; type: SqlType; init?: Expr }[] }
  | { kind: 'use'; database: string }
  | { kind: 'if'; condition: Expr; then: Statement; else?: Statement }
  | { kind: 'block'; statements: Statement[] }
  | { kind: 'insertBulk'; table: ObjectName; columns: { name: string; type: SqlType; nullable?: boolean }[]; options: string[] }
) & { line: number; text: string };

export type StatementKind = Statement['kind'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A statement before the parser stamps its line and text. */
export type StatementBody = DistributiveOmit<Statement, 'line' | 'text'>;
