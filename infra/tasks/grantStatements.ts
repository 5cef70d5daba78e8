/**
 * The statements that let the function app's managed identity use the database: a contained
 * user for the identity (its name is the app's name) and the roles hygge needs: read, write,
 * and DDL for staging tables and tables it creates. Idempotent: the user is created only when
 * missing, and adding a member a role already has changes nothing.
 */
import { quoteIdentifier } from '../../src/sql/identifier';

export function grantStatements(principal: string): string[] {
  const user = quoteIdentifier(principal);
  return [
    `IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = @principal) CREATE USER ${user} FROM EXTERNAL PROVIDER;`,
    ...['db_datareader', 'db_datawriter', 'db_ddladmin'].map((role) => `ALTER ROLE ${role} ADD MEMBER ${user};`),
  ];
}
