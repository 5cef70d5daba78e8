/** HTTP answers for errors: the HyggeError as JSON plus the text the CLI prints for it. */
import type { HttpResponseInit } from '@azure/functions';
import { HyggeError, toHyggeError } from '../../src/errors';

/** Codes that mean the request (not the deployment) is wrong. */
const CLIENT_ERRORS = new Set(['FILTER_INVALID', 'CONFIG_VARIABLE_UNSET']);

export function errorResponse(err: unknown): HttpResponseInit {
  const error = err instanceof HyggeError ? err : toHyggeError(err);
  const status = CLIENT_ERRORS.has(error.code) ? 400 : 500;
  return { status, jsonBody: { error: error.toJSON(), message: error.describe() } };
}

export function notFound(id: string): HttpResponseInit {
  return { status: 404, jsonBody: { message: `no run with id ${id}` } };
}
