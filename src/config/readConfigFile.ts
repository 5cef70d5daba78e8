import type { z } from 'zod';
import { expandVariables, type VariableSources } from './expandVariables';
import type { ProblemList } from './problems';
import { readYamlFile } from './readYamlFile';
import { inFile, issuesToProblems } from './zodIssues';

export interface ConfigFile {
  /** project-relative, `/`-separated: how messages name the file */
  file: string;
  /** the document after variable expansion; undefined when the YAML could not be read */
  raw: unknown;
}

/** Reads a YAML config file and expands its variables; syntax errors and unset variables go to `problems`. */
export async function readConfigFile(absPath: string, file: string, sources: VariableSources, problems: ProblemList): Promise<ConfigFile> {
  const read = await readYamlFile(absPath, file, problems);
  if (!read.ok) return { file, raw: undefined };
  const { value, unset } = expandVariables(read.value, sources);
  for (const u of unset) {
    problems.add({
      file,
      keyPath: u.keyPath,
      message: `variable ${u.variable} is not set`,
      code: 'CONFIG_VARIABLE_UNSET',
      hint: `Set ${u.variable} in the environment (export ${u.variable}=...), pass --var ${u.variable}=... to hygge, or give a default: \${${u.variable}:-value}.`,
    });
  }
  return { file, raw: value };
}

/** Validates a whole file's document; every issue becomes a problem. Undefined when invalid. */
export function validateFile<S extends z.ZodType>(schema: S, doc: ConfigFile, problems: ProblemList): z.infer<S> | undefined {
  if (doc.raw === undefined) return undefined;
  const result = schema.safeParse(doc.raw);
  if (result.success) return result.data;
  for (const p of issuesToProblems(result.error.issues, { schema, doc: doc.raw, locate: inFile(doc.file) })) problems.add(p);
  return undefined;
}
