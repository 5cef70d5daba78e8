/**
 * Turns what the file system and the Blob service throw into HyggeErrors that say what to do.
 * `access` is what the caller was doing: reading a source, or writing a destination; the same
 * 404 means "no such source" when reading and "create the container" when writing.
 */
import { HyggeError, UNEXPECTED_HINT, type ErrorContext } from '../errors';

export type StorageAccess = 'read' | 'write';

interface ErrorShape {
  code?: string;
  statusCode?: number;
  name?: string;
  message?: string;
  cause?: unknown;
}

const NOT_WRITABLE_FS_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR', 'ENOSPC', 'EDQUOT']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'REQUEST_SEND_ERROR']);
const CREDENTIAL_ERROR_NAMES = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

/**
 * @param where  full location for the message (`describe(key)`)
 * @param context  flow/entity/connection to attach
 */
export function storageError(err: unknown, access: StorageAccess, where: string, context: ErrorContext = {}): HyggeError {
  if (err instanceof HyggeError) return err.withContext({ file: where, ...context });
  const e = (err ?? {}) as ErrorShape;
  const ctx: ErrorContext = { file: where, ...context };
  const detail = e.message ? ` (${firstLine(e.message)})` : '';
  const opts = (hint: string) => ({ hint, context: ctx, cause: err });

  if (e.name && CREDENTIAL_ERROR_NAMES.has(e.name)) {
    return new HyggeError('AUTH_FAILED', `could not get a token for Blob storage${detail}`, opts(
      'Check the identity: on Azure, that a managed identity is assigned (and client_id names it if user-assigned); locally, run `az login` or use auth: connection_string.',
    ));
  }
  const code = e.code ?? '';
  if (code === 'ContainerNotFound') {
    return access === 'read'
      ? new HyggeError('SOURCE_NOT_FOUND', `the container does not exist${detail}`, opts('Check the connection\'s container name, or create the container.'))
      : new HyggeError('DESTINATION_NOT_WRITABLE', `the container does not exist${detail}`, opts('Create the container (hygge does not create containers), or fix the connection\'s container name.'));
  }
  if (e.statusCode === 403 || code === 'AuthorizationPermissionMismatch' || code === 'AuthorizationFailure') {
    const role = access === 'read' ? 'Storage Blob Data Reader' : 'Storage Blob Data Contributor';
    return new HyggeError('AUTH_FAILED', `access denied${detail}`, opts(
      `Grant the identity ${role} on the storage account or container (role assignments take a few minutes to apply), and check the account's network rules.`,
    ));
  }
  if (e.statusCode === 401 || code === 'AuthenticationFailed' || code === 'InvalidAuthenticationInfo') {
    return new HyggeError('AUTH_FAILED', `the storage account rejected the credentials${detail}`, opts(
      'Check the account key or connection string, or that the token is for https://storage.azure.com.',
    ));
  }
  if (code === 'BlobNotFound' || e.statusCode === 404 || code === 'ENOENT') {
    return access === 'read'
      ? new HyggeError('SOURCE_NOT_FOUND', `nothing found at ${where}`, opts('Check the path (it is relative to the project folder for local storage) and that the files exist.'))
      : new HyggeError('DESTINATION_NOT_WRITABLE', `cannot write ${where}: a parent folder is missing${detail}`, opts('Check the path and that its parent folder exists.'));
  }
  if (NOT_WRITABLE_FS_CODES.has(code)) {
    return new HyggeError('DESTINATION_NOT_WRITABLE', `cannot ${access} ${where}: ${code}${detail}`, opts(
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'Free disk space or choose another destination.'
        : 'Check that the path is a folder you may write to (no file in the way, not read-only).',
    ));
  }
  if (CONNECTION_CODES.has(code) || CONNECTION_CODES.has(((e.cause ?? {}) as ErrorShape).code ?? '')) {
    return new HyggeError('CONNECTION_FAILED', `cannot reach the storage account${detail}`, opts(
      'Check account_url, DNS and network access (firewall, private endpoint) from where hygge runs.',
    ));
  }
  return new HyggeError('INTERNAL', `storage ${access} failed at ${where}${detail}`, opts(UNEXPECTED_HINT));
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * For operations on a destination that read before they write (listing what to replace,
 * looking for a crashed publish): "not found" there means the destination is missing.
 */
export function asDestinationError(err: unknown): unknown {
  if (!(err instanceof HyggeError) || err.code !== 'SOURCE_NOT_FOUND') return err;
  return new HyggeError('DESTINATION_NOT_WRITABLE', err.message, { hint: err.hint, context: err.context, cause: err.cause });
}
