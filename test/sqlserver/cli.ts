/**
 * `npm run sqlserver [-- --port 1433] [--strict] [--database name ...]`: runs the SQL Server
 * stand-in until Ctrl-C and prints how to connect to it.
 */
import { startSqlServer, type SqlServerOptions } from './index';

function parseArgs(argv: string[]): SqlServerOptions {
  const opts: SqlServerOptions = { port: Number(process.env.HYGGE_SQLSERVER_PORT ?? 1433), databases: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--strict') opts.encryption = 'strict';
    else if (a === '--database') opts.databases!.push(argv[++i]);
    else if (a === '--max-sessions') opts.maxSessions = Number(argv[++i]);
    else {
      console.error(`unknown option ${a}\nusage: npm run sqlserver -- [--port n] [--host h] [--strict] [--database name]... [--max-sessions n]`);
      process.exit(2);
    }
  }
  if (opts.databases!.length === 0) delete opts.databases;
  return opts;
}

async function main(): Promise<void> {
  const server = await startSqlServer(parseArgs(process.argv.slice(2)));
  const strict = server.ca !== undefined;
  console.log(`SQL Server stand-in listening on ${server.host}:${server.port}${strict ? ' (TDS 8.0 strict encryption)' : ''}`);
  console.log('mssql config:');
  console.log(JSON.stringify({
    server: strict ? 'localhost' : server.host,
    port: server.port,
    user: 'sa',
    password: 'Hygge-Passw0rd!',
    database: 'hygge',
    options: strict ? { encrypt: 'strict', cryptoCredentialsDetails: { ca: '<the PEM below>' } } : { encrypt: false },
  }, null, 2));
  if (strict) console.log(server.ca);
  console.log(`ADO: Server=${server.host},${server.port};Database=hygge;User Id=sa;Password=Hygge-Passw0rd!;Encrypt=${strict ? 'strict' : 'false'}`);
  console.log('Ctrl-C to stop.');
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
