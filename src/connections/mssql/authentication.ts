/**
 * How a connection logs in, from its `auth` setting. Entra ID auth goes through tedious's
 * `token-credential` authentication: tedious asks the credential for a token
 * (scope https://database.windows.net/.default) on every new session's login, and
 * @azure/identity caches the token and refreshes it before it expires, so a run that
 * outlives a token simply gets a fresh one for its next session. Secrets come from the
 * environment variables the config names, read when the pool is created, never logged.
 */
import { type AccessToken, type GetTokenOptions, ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { MssqlConnectionConfig } from '../../config/schema';
import { HyggeError } from '../../errors';

export type TediousAuthentication =
  | { type: 'token-credential'; options: { credential: TokenCredential } }
  | { type: 'default'; options: { userName: string; password: string } };

export function credentialFor(name: string, config: MssqlConnectionConfig, env: NodeJS.ProcessEnv = process.env): TokenCredential | undefined {
  switch (config.auth) {
    case 'managed_identity':
      return config.client_id ? new ManagedIdentityCredential({ clientId: config.client_id }) : new ManagedIdentityCredential();
    case 'default':
      return new DefaultAzureCredential(config.client_id ? { managedIdentityClientId: config.client_id } : {});
    case 'service_principal': {
      if (!config.tenant_id || !config.client_id) {
        throw new HyggeError('CONFIG_INVALID', `connection "${name}" uses auth: service_principal but lacks ${!config.tenant_id ? 'tenant_id' : 'client_id'}`, {
          context: { connection: name, file: 'hygge.yml', keyPath: `connections.${name}` },
          hint: 'Set tenant_id and client_id (the application id) on the connection.',
        });
      }
      const secret = requireEnv(name, config.client_secret_env, 'the service principal secret', env);
      return new ClientSecretCredential(config.tenant_id, config.client_id, secret);
    }
    case 'sql':
      return undefined;
  }
}

export function tediousAuthentication(name: string, config: MssqlConnectionConfig, env: NodeJS.ProcessEnv = process.env): TediousAuthentication {
  const credential = credentialFor(name, config, env);
  if (credential) return { type: 'token-credential', options: { credential: audienceChecked(name, config.auth, credential) } };
  return {
    type: 'default',
    options: {
      userName: requireEnv(name, config.user_env, 'the SQL user name', env),
      password: requireEnv(name, config.password_env, 'the SQL password', env),
    },
  };
}

function requireEnv(name: string, variable: string, what: string, env: NodeJS.ProcessEnv): string {
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new HyggeError('CONFIG_VARIABLE_UNSET', `environment variable ${variable} is not set; connection "${name}" reads ${what} from it`, {
      context: { connection: name },
      hint: `Set ${variable} in the environment (or name another variable in connections.${name}).`,
    });
  }
  return value;
}

/** Audiences Azure SQL accepts: the resource URI (with or without its slash) and its app id. */
const SQL_AUDIENCES = new Set(['https://database.windows.net', 'https://database.windows.net/', '022907d3-0f1b-48f7-badc-1ba6abab6d66']);

/**
 * The credential, with each token's audience checked before tedious sends it: a token for
 * another resource (a misconfigured identity endpoint, a wrong scope) would otherwise come
 * back from the server only as "Login failed for user '<token-identified principal>'".
 * Opaque (non-JWT) tokens pass unchecked.
 */
export function audienceChecked(name: string, auth: string, credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await credential.getToken(scopes, options);
      const aud = token ? audienceOf(token.token) : undefined;
      const audiences = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
      if (audiences.length > 0 && !audiences.some((a) => SQL_AUDIENCES.has(String(a)))) {
        throw new HyggeError('CONNECTION_FAILED', `the access token from auth: ${auth} for connection "${name}" is for audience "${audiences.join('", "')}", not Azure SQL (https://database.windows.net/)`, {
          context: { connection: name },
          hint: 'The identity endpoint or credential handed out a token for another resource: check IDENTITY_ENDPOINT / the identity configuration, and that the token is requested for https://database.windows.net/.default.',
        });
      }
      return token;
    },
  };
}

function audienceOf(jwt: string): unknown {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: unknown }).aud;
  } catch {
    return undefined;
  }
}
