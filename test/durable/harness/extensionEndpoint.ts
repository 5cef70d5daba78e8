/**
 * The Durable extension's HTTP API (the `rpcBaseUrl` the durable client talks to), served
 * over a DurableHost. The app's HTTP and timer functions get a REAL durable-functions
 * DurableClient, built by df.getClient from the client input data below, exactly as in
 * the Functions host; only the extension behind it is emulated. Endpoints: start,
 * status, status query, terminate.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DurableHost, Instance } from './durableHost';

export interface ClientInputData {
  taskHubName: string;
  creationUrls: Record<string, string>;
  managementUrls: Record<string, string>;
  baseUrl: string;
  requiredQueryStringParameters: string;
  rpcBaseUrl: string;
}

export interface ExtensionEndpoint {
  clientData: ClientInputData;
  close(): Promise<void>;
}

const WEBHOOK = 'http://localhost:7071/runtime/webhooks/durabletask';
const QUERY = 'taskHub=hygge&connection=Storage&code=harness-key';

export async function startExtensionEndpoint(host: DurableHost): Promise<ExtensionEndpoint> {
  const server = createServer((req, res) => {
    handle(host, req, res).catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const instance = `${WEBHOOK}/instances/INSTANCEID`;
  return {
    clientData: {
      taskHubName: 'hygge',
      creationUrls: {
        createNewInstancePostUri: `${WEBHOOK}/orchestrators/{functionName}[/{instanceId}]?code=harness-key`,
        createAndWaitOnNewInstancePostUri: `${WEBHOOK}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=harness-key`,
      },
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${instance}?${QUERY}`,
        sendEventPostUri: `${instance}/raiseEvent/{eventName}?${QUERY}`,
        terminatePostUri: `${instance}/terminate?reason={text}&${QUERY}`,
        rewindPostUri: `${instance}/rewind?reason={text}&${QUERY}`,
        purgeHistoryDeleteUri: `${instance}?${QUERY}`,
        restartPostUri: `${instance}/restart?${QUERY}`,
        suspendPostUri: `${instance}/suspend?reason={text}&${QUERY}`,
        resumePostUri: `${instance}/resume?reason={text}&${QUERY}`,
      },
      baseUrl: WEBHOOK,
      requiredQueryStringParameters: 'code=harness-key',
      rpcBaseUrl: `http://127.0.0.1:${port}/durabletask/`,
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

async function handle(host: DurableHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent); // durabletask, ...
  const body = await readBody(req);

  if (req.method === 'POST' && parts[1] === 'orchestrators' && parts[2]) {
    const input = body === '' ? undefined : (JSON.parse(body) as unknown);
    try {
      const id = host.startNew(parts[2], parts[3], input);
      return send(res, 202, { id });
    } catch (err) {
      return send(res, 409, { message: (err as Error).message });
    }
  }
  if (req.method === 'POST' && parts[1] === 'instances' && parts[3] === 'terminate') {
    const outcome = host.terminate(parts[2]!, url.searchParams.get('reason') ?? '');
    return send(res, outcome === 'terminated' ? 202 : outcome === 'not-found' ? 404 : 410, '');
  }
  if (req.method === 'GET' && parts[1] === 'instances' && parts[2]) {
    const instance = host.instances.get(parts[2]);
    if (!instance) return send(res, 404, '');
    return send(res, 200, statusOf(instance));
  }
  if (req.method === 'GET' && parts[1] === 'instances') {
    const from = url.searchParams.get('createdTimeFrom');
    const to = url.searchParams.get('createdTimeTo');
    const statuses = url.searchParams.get('runtimeStatus')?.split(',');
    const found = [...host.instances.values()].filter(
      (i) =>
        (!from || i.createdTime >= Date.parse(from)) &&
        (!to || i.createdTime <= Date.parse(to)) &&
        (!statuses || statuses.includes(i.runtimeStatus)),
    );
    return send(res, 200, found.map(statusOf));
  }
  send(res, 404, { message: `the harness does not serve ${req.method} ${url.pathname}` });
}

function statusOf(instance: Instance) {
  return {
    name: instance.name,
    instanceId: instance.instanceId,
    createdTime: new Date(instance.createdTime).toISOString(),
    lastUpdatedTime: new Date(instance.lastUpdatedTime).toISOString(),
    input: instance.input ?? null,
    output: instance.output ?? null,
    runtimeStatus: instance.runtimeStatus,
    customStatus: instance.customStatus ?? null,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}
