/**
 * SQL Server errors as the stand-in raises them: the number, state, class (severity) and
 * message text SQL Server / Azure SQL uses, so clients (and their retry logic, which keys
 * on numbers) see what they would see in production.
 *
 * `scope` says how far the error reaches, mirroring SQL Server's behaviour:
 *  - 'statement': the statement fails, the batch goes on (e.g. 2627, 515, 2628)
 *  - 'batch': the rest of the batch is skipped (compile-time errors, 208, 207)
 *  - 'connection': the server closes the connection after sending it (class >= 20)
 */
export type ErrorScope = 'statement' | 'batch' | 'connection';

export class SqlError extends Error {
  /** Line of the batch the error is reported at (ERROR token LineNumber). */
  line?: number;

  constructor(
    readonly number: number,
    message: string,
    readonly state: number = 1,
    readonly severity: number = 16,
    readonly scope: ErrorScope = severity >= 20 ? 'connection' : 'statement',
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

const q = (name: string) => name.replace(/'/g, "''");

/** Factories for the errors the stand-in raises, one per SQL Server message number. */
export const sqlErrors = {
  syntax: (near: string) => new SqlError(102, `Incorrect syntax near '${near}'.`, 1, 15, 'batch'),
  syntaxKeyword: (keyword: string) =>
    new SqlError(156, `Incorrect syntax near the keyword '${keyword}'.`, 1, 15, 'batch'),
  unexpectedEnd: () => new SqlError(102, `Incorrect syntax near ''.`, 1, 15, 'batch'),
  notSupported: (feature: string) =>
    new SqlError(40517, `Keyword or statement option '${feature}' is not supported in this version of SQL Server.`, 1, 16, 'batch'),
  invalidObject: (name: string) => new SqlError(208, `Invalid object name '${name}'.`, 1, 16, 'batch'),
  invalidColumn: (name: string) => new SqlError(207, `Invalid column name '${name}'.`, 1, 16, 'batch'),
  ambiguousColumn: (name: string) => new SqlError(209, `Ambiguous column name '${name}'.`, 1, 16, 'batch'),
  multipartNotBound: (name: string) =>
    new SqlError(4104, `The multi-part identifier "${name}" could not be bound.`, 1, 16, 'batch'),
  notInGroupBy: (name: string) =>
    new SqlError(8120, `Column '${name}' is invalid in the select list because it is not contained in either an aggregate function or the GROUP BY clause.`, 1, 16, 'batch'),
  unknownFunction: (name: string) =>
    new SqlError(195, `'${name}' is not a recognized built-in function name.`, 10, 15, 'batch'),
  unknownSetOption: (name: string) => new SqlError(195, `'${name}' is not a recognized SET option.`, 5, 15, 'batch'),
  mustDeclare: (name: string) => new SqlError(137, `Must declare the scalar variable "${name}".`, 2, 15, 'batch'),
  unknownProcedure: (name: string) => new SqlError(2812, `Could not find stored procedure '${name}'.`, 62, 16, 'batch'),
  unknownType: (name: string) => new SqlError(2715, `Column, parameter, or variable #1: Cannot find data type ${name}.`, 6, 16, 'batch'),
  primaryKeyViolation: (constraint: string, object: string, key: string) =>
    new SqlError(2627, `Violation of PRIMARY KEY constraint '${constraint}'. Cannot insert duplicate key in object '${object}'. The duplicate key value is (${key}).`, 1, 14),
  nullNotAllowed: (column: string, table: string, verb: 'INSERT' | 'UPDATE' | 'MERGE') =>
    new SqlError(515, `Cannot insert the value NULL into column '${column}', table '${table}'; column does not allow nulls. ${verb} fails.`, 2, 16),
  truncated: (table: string, column: string, value: string) =>
    new SqlError(2628, `String or binary data would be truncated in table '${table}', column '${column}'. Truncated value: '${q(value)}'.`, 1, 16),
  truncatedLegacy: () => new SqlError(8152, 'String or binary data would be truncated.', 30, 16),
  objectExists: (name: string) => new SqlError(2714, `There is already an object named '${name}' in the database.`, 6, 16),
  schemaExists: (name: string) => new SqlError(2714, `There is already an object named '${name}' in the database.`, 6, 16),
  cannotDrop: (name: string) =>
    new SqlError(3701, `Cannot drop the table '${name}', because it does not exist or you do not have permission.`, 5, 11),
  cannotFindObject: (name: string) =>
    new SqlError(4701, `Cannot find the object "${name}" because it does not exist or you do not have permissions.`, 1, 16),
  schemaMissing: (name: string) =>
    new SqlError(2760, `The specified schema name "${name}" either does not exist or you do not have permission to use it.`, 1, 16),
  renameAmbiguous: () =>
    new SqlError(15248, `Either the parameter @objname is ambiguous or the claimed @objtype (OBJECT) is wrong.`, 1, 11),
  conversion: (fromType: string, value: string, toType: string) =>
    new SqlError(245, `Conversion failed when converting the ${fromType} value '${q(value)}' to data type ${toType}.`, 1, 16),
  dateConversion: () => new SqlError(241, 'Conversion failed when converting date and/or time from character string.', 1, 16),
  guidConversion: () =>
    new SqlError(8169, 'Conversion failed when converting from a character string to uniqueidentifier.', 2, 16),
  typeClash: (from: string, to: string) => new SqlError(206, `Operand type clash: ${from} is incompatible with ${to}`, 2, 16),
  overflow: (type: string) => new SqlError(8115, `Arithmetic overflow error converting expression to data type ${type}.`, 8, 16),
  divideByZero: () => new SqlError(8134, 'Divide by zero error encountered.', 1, 16),
  columnCountMismatch: () =>
    new SqlError(213, 'Column name or number of supplied values does not match table definition.', 1, 16, 'batch'),
  moreValuesThanColumns: () =>
    new SqlError(110, 'There are fewer columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.', 1, 15, 'batch'),
  fewerValuesThanColumns: () =>
    new SqlError(109, 'There are more columns in the INSERT statement than values specified in the VALUES clause. The number of values in the VALUES clause must match the number of columns specified in the INSERT statement.', 1, 15, 'batch'),
  identityInsert: (table: string) =>
    new SqlError(544, `Cannot insert explicit value for identity column in table '${table}' when IDENTITY_INSERT is set to OFF.`, 1, 16),
  identityUpdate: (column: string) => new SqlError(8102, `Cannot update identity column '${column}'.`, 1, 16),
  commitWithoutBegin: () =>
    new SqlError(3902, 'The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION.', 1, 16),
  rollbackWithoutBegin: () =>
    new SqlError(3903, 'The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION.', 1, 16),
  mergeDuplicate: () =>
    new SqlError(8672, 'The MERGE statement attempted to UPDATE or DELETE the same row more than once. This happens when a target row matches more than one source row. A MERGE statement cannot UPDATE/DELETE the same row of the target table multiple times. Refine the ON clause to ensure a target row matches at most one source row, or use the GROUP BY clause to group the source rows.', 1, 16),
  databaseMissing: (name: string) =>
    new SqlError(911, `Database '${name}' does not exist. Make sure that the name is entered correctly.`, 1, 16, 'batch'),
  cannotOpenDatabase: (name: string) =>
    new SqlError(4060, `Cannot open database "${name}" requested by the login. The login failed.`, 1, 11),
  loginFailed: (user: string) => new SqlError(18456, `Login failed for user '${user}'.`, 1, 14),
  tokenLoginFailed: () => new SqlError(18456, `Login failed for user '<token-identified principal>'.`, 1, 14),
  bulkColumnLength: (colid: number) =>
    new SqlError(4815, `Received an invalid column length from the bcp client for colid ${colid}.`, 1, 16),
  bulkColumnMismatch: (name: string) =>
    new SqlError(4819, `Cannot bulk load. The bulk data stream was incorrectly specified as sorted or the data violates a uniqueness constraint imposed by the target table. Column '${name}'.`, 1, 16),
  unexpectedMessage: (type: number) =>
    new SqlError(4002, `The incoming tabular data stream (TDS) protocol stream is incorrect. Unexpected message type 0x${type.toString(16)}.`, 1, 16, 'connection'),
  protocolError: (what: string) =>
    new SqlError(4002, `The incoming tabular data stream (TDS) protocol stream is incorrect. ${what}`, 1, 16, 'connection'),
  unsupportedType: (what: string) =>
    new SqlError(8016, `The incoming tabular data stream (TDS) remote procedure call (RPC) protocol stream is incorrect. ${what}`, 1, 16),
  tooManyParams: () => new SqlError(8003, 'The incoming request has too many parameters. The server supports a maximum of 2100 parameters.', 1, 16),
  invalidPreparedHandle: (handle: number) =>
    new SqlError(8179, `Could not find prepared statement with handle ${handle}.`, 1, 16),
  topNegative: () => new SqlError(1060, 'The number of rows provided for a TOP or FETCH clauses row count parameter must be an integer.', 1, 15),
  orderByOrdinal: (n: number) =>
    new SqlError(108, `The ORDER BY position number ${n} is out of range of the number of items in the select list.`, 1, 15, 'batch'),
};

/** 257: an implicit conversion SQL Server refuses (e.g. date -> int). */
export const implicitConversion = (from: string, to: string) =>
  new SqlError(257, `Implicit conversion from data type ${from} to ${to} is not allowed. Use the CONVERT function to run this query.`, 3, 16);
