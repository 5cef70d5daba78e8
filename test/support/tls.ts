/**
 * A throwaway self-signed certificate for local HTTPS servers in tests (Azurite with
 * `--oauth basic` only accepts bearer tokens over HTTPS). Made with the `openssl` CLI so no
 * crypto library is needed; the certificate is its own CA, so `ca === cert`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';

export interface SelfSignedCert {
  /** PEM of the certificate */
  cert: string;
  /** PEM of the private key (unencrypted) */
  key: string;
  /** PEM to trust: the certificate itself */
  ca: string;
  paths: { dir: string; cert: string; key: string };
  /** removes the temp dir */
  remove(): void;
}

/** `hosts` become subjectAltNames (IP or DNS); the first is also the common name. */
export function makeSelfSignedCert(hosts: string[] = ['127.0.0.1', 'localhost']): SelfSignedCert {
  const dir = mkdtempSync(join(tmpdir(), 'hygge-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const san = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-keyout', keyPath, '-out', certPath,
      '-subj', `/CN=${hosts[0] ?? 'localhost'}`,
      '-addext', `subjectAltName=${san}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
    ],
    { stdio: 'pipe' },
  );
  const cert = readFileSync(certPath, 'utf8');
  return {
    cert,
    key: readFileSync(keyPath, 'utf8'),
    ca: cert,
    paths: { dir, cert: certPath, key: keyPath },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
