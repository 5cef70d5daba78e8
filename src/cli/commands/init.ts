/** `hygge init <dir>`: writes the sample project (see src/templates). */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HyggeError } from '../../errors';
import { sampleProjectFiles } from '../../templates/sampleProject';
import { EXIT_OK, EXIT_USAGE } from '../exitCodes';
import type { CliIO } from '../io';
import { reportError } from '../reportError';

export interface InitOptions {
  force?: boolean;
  verbose?: boolean;
}

export async function initCommand(dir: string, opts: InitOptions, io: CliIO): Promise<number> {
  const root = path.resolve(dir);
  if (existsSync(root) && readdirSync(root).length > 0 && !opts.force) {
    const err = new HyggeError('DESTINATION_NOT_WRITABLE', `${root} is not empty; hygge init will not overwrite it`, {
      hint: 'Choose a new or empty folder, or pass --force to write the sample files over what is there.',
    });
    reportError(err, false, io.err);
    return EXIT_USAGE;
  }
  for (const [rel, content] of Object.entries(sampleProjectFiles())) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  const shown = /\s/.test(dir) ? JSON.stringify(dir) : dir;
  io.out(
    [
      `Created a sample hygge project in ${root}:`,
      '  hygge.yml                              project settings and connections',
      '  flows/sample/flow.yml                  a Parquet → Parquet flow with two entities',
      '  flows/sample/entities/customers.yml    a per-entity override',
      '  data/source/*.parquet                  sample source data',
      '',
      'Next:',
      `  hygge go --project ${shown} --dry-run   see what would run`,
      `  hygge go --project ${shown}             run it (output goes to data/lake/)`,
      '',
    ].join('\n'),
  );
  return EXIT_OK;
}
