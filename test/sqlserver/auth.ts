import { decodeJwt, verifyTestJwtSignature } from '../support/jwt';
import { sqlErrors, SqlError } from './errors';

export interface UserConfig {
  name: string;
  password?: string;
  /** Entra object id (users, managed identities) this database user maps to. */
  oid?: string;
  /** Entra application id (service principals) this database user maps to. */
  appid?: string;
  defaultDatabase?: string;
}

export const TOKEN_AUDIENCE = 'https://database.windows.net/';

/** SQL authentication: user name (case-insensitive) and password (case-sensitive). */
export function authenticateSql(users: UserConfig[], userName: string, password: string): UserConfig {
  const user = users.find((u) => u.password !== undefined && u.name.toLowerCase() === userName.toLowerCase());
  if (!user || user.password !== password) throw sqlErrors.loginFailed(userName);
  return user;
}

/**
 * Token authentication as Azure SQL performs it: the audience must be the database resource,
 * the token must not be expired, and its oid/appid must map to a database user. Signatures are
 * HS256 with the test secret (see test/support/jwt.ts). Any failure is 18456.
 */
export function authenticateToken(users: UserConfig[], token: string, secret: string, nowSeconds = Date.now() / 1000): UserConfig {
  let decoded;
  try {
    decoded = decodeJwt(token);
  } catch {
    throw sqlErrors.tokenLoginFailed();
  }
  const fail = (): SqlError => sqlErrors.tokenLoginFailed();
  if (!verifyTestJwtSignature(decoded, secret)) throw fail();
  const { aud, exp, nbf, oid, appid } = decoded.claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.some((a) => typeof a === 'string' && a.replace(/\/$/, '') === TOKEN_AUDIENCE.replace(/\/$/, ''))) throw fail();
  if (typeof exp !== 'number' || exp <= nowSeconds) throw fail();
  if (typeof nbf === 'number' && nbf > nowSeconds + 300) throw fail();
  const user = users.find((u) => (oid !== undefined && u.oid === oid) || (appid !== undefined && u.appid === appid));
  if (!user) throw fail();
  return user;
}
