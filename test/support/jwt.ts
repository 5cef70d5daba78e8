import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Test-only JWTs for the SQL Server stand-in's token login. Entra ID signs with RS256 keys the
 * stand-in cannot verify, so tests sign HS256 with a shared secret instead; everything else
 * (audience, expiry, oid/appid claims) is checked as Azure SQL checks it.
 */
export const DEFAULT_TEST_TOKEN_SECRET = 'hygge-test-token-secret';

export interface JwtClaims {
  aud?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  oid?: string;
  appid?: string;
  tid?: string;
  upn?: string;
  [claim: string]: unknown;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Signs claims as an HS256 JWT. Defaults: aud https://database.windows.net/, exp in one hour. */
export function signTestJwt(claims: JwtClaims, secret = DEFAULT_TEST_TOKEN_SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  const body: JwtClaims = { aud: 'https://database.windows.net/', iat: now, exp: now + 3600, ...claims };
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(body));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export interface DecodedJwt {
  header: { alg?: string; typ?: string; [k: string]: unknown };
  claims: JwtClaims;
  signature: string;
  signingInput: string;
}

/** Decodes without verifying; throws on a malformed token. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('A JWT has three dot-separated parts');
  const json = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  return { header: json(parts[0]), claims: json(parts[1]), signature: parts[2], signingInput: `${parts[0]}.${parts[1]}` };
}

/** true when the token is HS256-signed with `secret`. */
export function verifyTestJwtSignature(decoded: DecodedJwt, secret = DEFAULT_TEST_TOKEN_SECRET): boolean {
  if (decoded.header.alg !== 'HS256') return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(decoded.signingInput).digest('base64url'));
  const actual = Buffer.from(decoded.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A TokenCredential (as @azure/identity defines it) that hands out a test JWT. */
export function testTokenCredential(claims: JwtClaims, secret?: string) {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]) {
      scopes.push(...(Array.isArray(scope) ? scope : [scope]));
      const token = signTestJwt(claims, secret);
      const exp = decodeJwt(token).claims.exp ?? Math.floor(Date.now() / 1000) + 3600;
      return { token, expiresOnTimestamp: exp * 1000 };
    },
  };
}
