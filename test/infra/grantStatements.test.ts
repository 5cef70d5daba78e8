import { grantStatements } from '../../infra/tasks/grantStatements';

describe('infra:grant statements', () => {
  it('creates the identity user only when missing and adds the three roles hygge needs', () => {
    expect(grantStatements('hygge-func-1a2b')).toEqual([
      'IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = @principal) CREATE USER [hygge-func-1a2b] FROM EXTERNAL PROVIDER;',
      'ALTER ROLE db_datareader ADD MEMBER [hygge-func-1a2b];',
      'ALTER ROLE db_datawriter ADD MEMBER [hygge-func-1a2b];',
      'ALTER ROLE db_ddladmin ADD MEMBER [hygge-func-1a2b];',
    ]);
  });

  it('quotes the principal so an odd app name cannot break out of the identifier', () => {
    const [create] = grantStatements('x]; DROP USER dbo;--');
    expect(create).toContain('CREATE USER [x]]; DROP USER dbo;--] FROM EXTERNAL PROVIDER;');
  });
});
