/**
 * A local stand-in for the App Service managed identity endpoint, so the real
 * `ManagedIdentityCredential` (msal-node's AppService source) can be exercised offline.
 *
 * Protocol, as msal-node sends it (node_modules/@azure/msal-node/dist/client/ManagedIdentitySources/AppService.mjs):
 *   GET <IDENTITY_ENDPOINT>?api-version=2019-08-01&resource=<scope without /.default>[&client_id=<id>]
 *   header X-IDENTITY-HEADER: <IDENTITY_HEADER>
 * Answer: { access_token, expires_on: "<unix seconds>", resource, token_type: "Bearer", client_id }.
 *
 * Tokens are HS256 JWTs with the claims Azurite's `--oauth basic` checks (iss under
 * https://sts.windows.net/, aud, nbf, exp), plus oid/appid/tid/iat.
 *
 *   const idp = await startIdentityEndpoint();
 *   const restore = idp.applyToEnv();   // sets IDENTITY_ENDPOINT / IDENTITY_HEADER
 *   const cred = new ManagedIdentityCredential();  // construct AFTER applyToEnv
 *   ...
 *   restore(); await idp.stop();
 */
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IdentityEndpointOptions {
  /** token lifetime; short lifetimes make tokens expire mid-run (default 3600) */
  lifetimeSeconds?: number;
  /** issue tokens for this audience instead of the requested resource */
  wrongAudience?: string;
  tenantId?: string;
  /** client id of the system-assigned identity (user-assigned ones echo the requested client_id) */
  systemClientId?: string;
  /** HS256 key; the tokens are not meant to be verified by anything real */
  secret?: string;
}

export interface TokenRequestRecord {
  resource: string;
  clientId?: string;
}

export interface IdentityEndpoint {
  /** value for IDENTITY_ENDPOINT */
  url: string;
  /** value for IDENTITY_HEADER */
  identityHeader: string;
  /** tokens handed out so far */
  readonly tokensIssued: number;
  /** every accepted request, oldest first */
  readonly requests: readonly TokenRequestRecord[];
  /** requests refused (missing/wrong X-IDENTITY-HEADER, bad api-version, no resource) */
  readonly refused: number;
  /** change behaviour for later tokens */
  configure(opts: Pick<IdentityEndpointOptions, 'lifetimeSeconds' | 'wrongAudience'>): void;
  /** sets IDENTITY_ENDPOINT and IDENTITY_HEADER; returns a function restoring the previous values */
  applyToEnv(): () => void;
  stop(): Promise<void>;
}

export async function startIdentityEndpoint(opts: IdentityEndpointOptions = {}): Promise<IdentityEndpoint> {
  const settings = { lifetimeSeconds: opts.lifetimeSeconds ?? 3600, wrongAudience: opts.wrongAudience };
  const tenantId = opts.tenantId ?? '72f988bf-0000-4000-8000-000000000001';
  const systemClientId = opts.systemClientId ?? 'system-assigned-0000-4000-8000-000000000002';
  const secret = opts.secret ?? 'hygge-test-secret';
  const identityHeader = randomUUID();
  const requests: TokenRequestRecord[] = [];
  let tokensIssued = 0;
  let refused = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const resource = url.searchParams.get('resource');
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || req.headers['x-identity-header'] !== identityHeader) {
      refused++;
      return reply(401, { error: 'unauthorized', error_description: 'missing or wrong X-IDENTITY-HEADER' });
    }
    if (url.searchParams.get('api-version') !== '2019-08-01' || !resource) {
      refused++;
      return reply(400, { error: 'invalid_request', error_description: 'api-version 2019-08-01 and resource are required' });
    }
    const clientId = url.searchParams.get('client_id') ?? undefined;
    requests.push({ resource, clientId });
    tokensIssued++;
    const now = Math.floor(Date.now() / 1000);
    const exp = now + settings.lifetimeSeconds;
    const appid = clientId ?? systemClientId;
    const accessToken = signHs256(
      {
        aud: settings.wrongAudience ?? resource.replace(/\/\.default$/, ''),
        iss: `https://sts.windows.net/${tenantId}/`,
        iat: now,
        nbf: now - 60,
        exp,
        oid: `oid-${appid}`,
        appid,
        tid: tenantId,
        sub: `oid-${appid}`,
      },
      secret,
    );
    reply(200, { access_token: accessToken, expires_on: String(exp), resource, token_type: 'Bearer', client_id: appid });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/msi/token`,
    identityHeader,
    get tokensIssued() {
      return tokensIssued;
    },
    get requests() {
      return requests;
    },
    get refused() {
      return refused;
    },
    configure(next) {
      if (next.lifetimeSeconds !== undefined) settings.lifetimeSeconds = next.lifetimeSeconds;
      if ('wrongAudience' in next) settings.wrongAudience = next.wrongAudience;
    },
    applyToEnv() {
      const previous = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
      process.env.IDENTITY_ENDPOINT = `http://127.0.0.1:${port}/msi/token`;
      process.env.IDENTITY_HEADER = identityHeader;
      return () => {
        restoreEnv('IDENTITY_ENDPOINT', previous.endpoint);
        restoreEnv('IDENTITY_HEADER', previous.header);
      };
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Minimal HS256 JWT (test/support/jwt.ts may offer a richer one). */
function signHs256(claims: Record<string, unknown>, secret: string): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
