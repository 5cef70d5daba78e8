/**
 * Starts a private Azurite Blob service for one test file and stops it afterwards.
 *
 *   const azurite = await startAzurite();            // HTTP, shared key / connection string
 *   const secure = await startAzurite({ oauth: true }); // HTTPS + `--oauth basic`: bearer tokens
 *   ...
 *   await azurite.stop();
 *
 * Every instance runs in memory on its own free port, so test files can run in parallel.
 * With `oauth`, Azurite serves HTTPS with a throwaway self-signed certificate; `ca` is that
 * certificate. NODE_EXTRA_CA_CERTS is read only at process start, so clients must be told to
 * trust it: pass `{ tlsOptions: { ca } }` in the Blob client options (core-rest-pipeline's
 * tlsPolicy puts it on each request; see src/storage/blobClient.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeSelfSignedCert } from './tls';

export interface AzuriteInstance {
  /** e.g. `http://127.0.0.1:41234/devstoreaccount1` (the account URL, path style) */
  blobUrl: string;
  accountName: string;
  accountKey: string;
  /** shared-key connection string for this instance */
  connectionString: string;
  /** PEM of the certificate to trust, when serving HTTPS (`oauth: true`) */
  ca?: string;
  stop(): Promise<void>;
}

/** Azurite's well-known development account. */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const AZURITE_BIN = resolve(__dirname, '../../node_modules/.bin/azurite-blob');

export async function startAzurite(opts: { oauth?: boolean } = {}): Promise<AzuriteInstance> {
  const port = await freePort();
  const workspace = mkdtempSync(join(tmpdir(), 'hygge-azurite-'));
  const tls = opts.oauth ? makeSelfSignedCert(['127.0.0.1', 'localhost']) : undefined;
  const args = [
    '--blobHost', '127.0.0.1',
    '--blobPort', String(port),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--inMemoryPersistence',
    '--silent',
  ];
  if (tls) args.push('--oauth', 'basic', '--cert', tls.paths.cert, '--key', tls.paths.key);

  // in-memory persistence refuses --location; the cwd catches anything it still writes
  const child = spawn(AZURITE_BIN, args, { cwd: workspace, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const protocol = tls ? 'https' : 'http';
  const blobUrl = `${protocol}://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`;
  const cleanup = () => {
    process.off('exit', killOnExit);
    tls?.remove();
    rmSync(workspace, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(blobUrl, child, tls?.ca, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    cleanup();
    throw err;
  }

  return {
    blobUrl,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    connectionString:
      `DefaultEndpointsProtocol=${protocol};AccountName=${AZURITE_ACCOUNT_NAME};` +
      `AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${blobUrl};`,
    ca: tls?.ca,
    stop: async () => {
      await stopChild(child);
      cleanup();
    },
  };
}

/** Azurite does not accept port 0, so ask the OS for a free port and hand it over. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Any HTTP answer (even 400/403) means the service is up. */
async function waitUntilAnswering(url: string, child: ChildProcess, ca: string | undefined, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`azurite exited with ${child.exitCode}: ${log()}`);
    if (await answers(`${url}?comp=list`, ca)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`azurite did not answer on ${url} within 20 s: ${log()}`);
}

function answers(url: string, ca: string | undefined): Promise<boolean> {
  return new Promise((done) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, ca ? { ca } : {}, (res) => {
      res.resume();
      done(true);
    });
    req.on('error', () => done(false));
    req.setTimeout(1_000, () => req.destroy());
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}
