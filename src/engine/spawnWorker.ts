/**
 * Starts a worker thread on one of hygge's own modules: the compiled JavaScript when this
 * code runs compiled (dist/, the benchmarks' transpiled copy), the TypeScript source through
 * ts-node otherwise (development, tests). Shared by the entity threads and the Parquet
 * encoder thread so both start the same way.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * A small young generation (V8's default lets its semi-spaces grow to 16 MB each). hygge's
 * threads allocate few JS objects but many buffers (TDS packets, Parquet chunks), and a
 * buffer's memory is freed only when a collection finds its handle dead, so with a large
 * young generation a thread went a long time between scavenges holding tens of MB of dead
 * buffers. Measured on 50 tables × 200,000 rows SQL Server → Parquet (same runs, alternated):
 * peak RSS 257–272 MB at 2 MB, 290–297 MB at 4 MB, ~300–310 MB with V8's default; CPU within
 * the machine's run-to-run noise (±10%).
 */
const resourceLimits = { maxYoungGenerationSizeMb: 2 };

/** `modulePath`: the module's absolute path without extension, e.g. `path.join(__dirname, 'entityThread')`. */
export function spawnWorker(modulePath: string): Worker {
  // the environment as this module sees it (jest gives a test its own process.env; Worker's
  // default would copy the real one): credentials and ${VAR}s must reach the threads
  const env = { ...process.env };
  // this file is compiled exactly when the module it starts is
  const compiled = __filename.endsWith('.js');
  if (compiled) return new Worker(`${modulePath}.js`, { env, resourceLimits });
  const source = `${modulePath}.ts`;
  if (!existsSync(source)) throw new Error(`worker thread source not found at ${source}`);
  // an eval worker resolves modules from the current folder, not from here: name ts-node by path
  const tsNode = JSON.stringify(require.resolve('ts-node'));
  const bootstrap = `require(${tsNode}).register({ transpileOnly: true }); require(${JSON.stringify(source)});`;
  return new Worker(bootstrap, { eval: true, env, resourceLimits });
}
