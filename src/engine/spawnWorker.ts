/**
 * Starts a worker thread on one of hygge's own modules: the compiled JavaScript when this
 * code runs compiled (dist/, the benchmarks' transpiled copy), the TypeScript source through
 * ts-node otherwise (development, tests). Shared by the entity threads and the Parquet
 * encoder thread so both start the same way.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** `modulePath`: the module's absolute path without extension, e.g. `path.join(__dirname, 'entityThread')`. */
export function spawnWorker(modulePath: string): Worker {
  // the environment as this module sees it (jest gives a test its own process.env; Worker's
  // default would copy the real one): credentials and ${VAR}s must reach the threads
  const env = { ...process.env };
  // this file is compiled exactly when the module it starts is
  const compiled = __filename.endsWith('.js');
  if (compiled) return new Worker(`${modulePath}.js`, { env });
  const source = `${modulePath}.ts`;
  if (!existsSync(source)) throw new Error(`worker thread source not found at ${source}`);
  // an eval worker resolves modules from the current folder, not from here: name ts-node by path
  const tsNode = JSON.stringify(require.resolve('ts-node'));
  const bootstrap = `require(${tsNode}).register({ transpileOnly: true }); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { eval: true, env });
}
