/**
 * The `hygge` command line: parses arguments (commander) and hands each command to its
 * module under ./commands, loaded only when that command runs (so `--help` and `init` start
 * fast and load neither the engine nor the Azure SDK).
 * Exit codes (exitCodes.ts): 0 all good, 1 an entity or a check failed, 2 the configuration
 * or the command line is wrong, 130 cancelled with Ctrl-C.
 */
import { Command, CommanderError, Option } from 'commander';
import type { GoOptions } from './commands/go';
import { EXIT_OK, EXIT_USAGE } from './exitCodes';
import { exitQuietlyOnClosedPipe, processIO, type CliIO } from './io';
import { collect, parsePositiveInt } from './parseArgs';
import { reportError } from './reportError';
import { packageVersion } from './version';

export function buildProgram(io: CliIO, setExitCode: (code: number) => void): Command {
  const program = new Command('hygge')
    .description('Move tables between SQL Server / Azure SQL and Parquet (local or Azure Blob), one flow of entities at a time.')
    .version(packageVersion(), '-V, --version', 'print the hygge version')
    .helpOption('-h, --help', 'show help for hygge or a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  const projectOption = () => new Option('-p, --project <dir>', 'the project folder (holding hygge.yml)').default('.');
  const varOption = () =>
    new Option('--var <key=value>', 'set a ${key} variable used in the config; wins over the environment (repeatable)').argParser(collect);
  const verboseOption = () => new Option('--verbose', 'print stack traces with errors');

  program
    .command('init')
    .description('create a sample project (a Parquet → Parquet flow with sample data) that runs as it is')
    .argument('<dir>', 'folder to create the project in')
    .option('-f, --force', 'write into a folder that is not empty, replacing sample files already there')
    .addOption(verboseOption())
    .action(async (dir: string, opts: { force?: boolean; verbose?: boolean }) => setExitCode(await (await import('./commands/init')).initCommand(dir, opts, io)));

  program
    .command('go')
    .description('run flows: load the project, plan the entity jobs, and move the data (or only print the plan)')
    .addOption(projectOption())
    .addOption(new Option('--flow <name>', 'run only this flow (repeatable)').argParser(collect))
    .addOption(new Option('--entity <flow.entity>', 'run only this entity (repeatable; runs it even if disabled)').argParser(collect))
    .addOption(new Option('--concurrency <n>', 'most entities running at once (default: options.concurrency)').argParser(parsePositiveInt('--concurrency')))
    .addOption(new Option('--run-type <type>', "override every entity's run type").choices(['full_drop', 'incremental']))
    .addOption(varOption())
    .option('--dry-run', 'print the plan (jobs, home → store, connection caps, concurrency) without connecting to anything')
    .addOption(verboseOption())
    .option('--json', 'print the entity summaries (or with --dry-run, the plan) as JSON, without progress')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 every entity succeeded; 1 an entity failed (the others still ran); 2 configuration or usage error;',
        '130 cancelled with Ctrl-C (running entities stop and publish nothing; Ctrl-C again quits at once).',
        '',
        'Examples:',
        '  hygge go --dry-run',
        '  hygge go --project ./etl --flow sales --concurrency 2',
        '  hygge go --entity sales.orders --run-type full_drop --var DATA_ROOT=/mnt/data',
      ].join('\n'),
    )
    .action(async (opts: Partial<GoOptions>) => setExitCode(await (await import('./commands/go')).goCommand({ project: '.', flow: [], entity: [], var: [], ...opts }, io)));

  program
    .command('debug')
    .description('check the project: every configuration problem, every connection, every home and store path')
    .addOption(projectOption())
    .addOption(varOption())
    .addOption(verboseOption())
    .addHelpText('after', '\nExit codes: 0 all checks passed; 1 a check failed; 2 the configuration is invalid.')
    .action(async (opts: { project: string; var?: string[]; verbose?: boolean }) =>
      setExitCode(await (await import('./commands/debug')).debugCommand({ ...opts, var: opts.var ?? [] }, io)),
    );

  return program;
}

/** Runs the CLI with `argv` (as in process.argv) and returns the exit code. */
export async function run(argv: readonly string[] = process.argv, io: CliIO = processIO): Promise<number> {
  if (io === processIO) exitQuietlyOnClosedPipe();
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and --version "fail" with exit code 0; commander has already printed the rest
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    return reportError(err, argv.includes('--verbose'), io.err);
  }
}

if (require.main === module) {
  void run().then((code) => {
    // exit once stdout is flushed: a lingering socket or timer must not keep the CLI alive
    process.stdout.write('', () => process.exit(code));
  });
}
