/**
 * Calling the app's HTTP and timer functions as the Functions host would: a real
 * HttpRequest / InvocationContext from the app's @azure/functions, with the durable client
 * input binding filled with the emulated extension's client data.
 */
import { randomUUID } from 'node:crypto';
import type { DurableHost } from './durableHost';
import type { ClientInputData } from './extensionEndpoint';
import type { Registration } from './loadFunctionApp';

export interface HttpResult {
  status: number;
  body: any;
  headers: Record<string, string>;
}

export interface HttpCall {
  method: string;
  path: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

export async function invokeHttp(host: DurableHost, clientData: ClientInputData, functionName: string, call: HttpCall): Promise<HttpResult> {
  const registration = host.registration(functionName);
  if (registration.kind !== 'http') throw new Error(`${functionName} is not an HTTP function`);
  const methods = (registration.options.methods as string[] | undefined) ?? [];
  if (!methods.includes(call.method)) throw new Error(`${functionName} does not accept ${call.method}`);
  const text = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const query = call.query ? `?${new URLSearchParams(call.query).toString()}` : '';
  const request = new host.app.azf.HttpRequest({
    method: call.method,
    url: `http://localhost:7071${call.path}${query}`,
    headers: { 'content-type': 'application/json' },
    ...(text !== undefined ? { body: { string: text } } : {}),
    ...(call.params ? { params: call.params } : {}),
  });
  const response = (await registration.options.handler(request, contextWithClient(host, registration, clientData))) as any;
  return normalise(response);
}

export async function invokeTimer(host: DurableHost, clientData: ClientInputData, functionName: string): Promise<void> {
  const registration = host.registration(functionName);
  if (registration.kind !== 'timer') throw new Error(`${functionName} is not a timer function`);
  const timer = { isPastDue: false, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
  await registration.options.handler(timer, contextWithClient(host, registration, clientData));
}

function contextWithClient(host: DurableHost, registration: Registration, clientData: ClientInputData) {
  const context = new host.app.azf.InvocationContext({
    functionName: registration.name,
    invocationId: randomUUID(),
    logHandler: (level, ...args) => host.logs.push({ functionName: registration.name, level, message: args.map(String).join(' ') }),
    options: {
      trigger: { type: registration.kind === 'http' ? 'httpTrigger' : 'timerTrigger', name: 'trigger' },
      extraInputs: registration.options.extraInputs ?? [],
      extraOutputs: [],
    },
  });
  for (const input of registration.options.extraInputs ?? []) {
    if (input.type === 'durableClient') context.extraInputs.set(input, clientData);
  }
  return context;
}

async function normalise(response: any): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  if (response && typeof response.json === 'function') {
    response.headers.forEach((value: string, key: string) => (headers[key] = value));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers };
  }
  return { status: response?.status ?? 200, body: response?.jsonBody ?? response?.body, headers: { ...(response?.headers ?? {}) } };
}
