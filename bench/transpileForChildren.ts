/**
 * Benchmark children run plain `node` on a transpiled copy of the code: under ts-node the
 * TypeScript compiler alone adds ~80 MB to every peak RSS, which compiled production code
 * never carries. Transpiles every .ts under `roots` (plus `entry` and this file, which the
 * copy imports) into `bench/.out/<outName>` as CommonJS and returns the copy of `entry`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function transpileForChildren(repo: string, outName: string, roots: string[], entry: string): string {
  // loaded only here: the children never need the compiler
  const ts = require('typescript') as typeof import('typescript');
  const outRoot = path.join(repo, 'bench/.out', outName);
  rmSync(outRoot, { recursive: true, force: true });
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [],
    );
  const files = [...roots.flatMap((r) => walk(path.join(repo, r))), path.join(repo, entry), path.join(repo, 'bench/transpileForChildren.ts')];
  for (const file of files) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true },
    });
    const out = path.join(outRoot, path.relative(repo, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  return path.join(outRoot, entry.replace(/\.ts$/, '.js'));
}
