/** The durable replay harness: the real app, an in-memory Durable host, the extension's HTTP API. */
import { DurableHost, type HostOptions } from './durableHost';
import { startExtensionEndpoint, type ClientInputData } from './extensionEndpoint';
import { invokeHttp, invokeTimer, type HttpCall, type HttpResult } from './invoke';
import { loadFunctionApp, type FunctionApp } from './loadFunctionApp';

export { DurableHost, type HostOptions } from './durableHost';
export type { ActivityExecution, Instance } from './durableHost';
export { retryDelay } from './durableHost';

export interface Harness {
  app: FunctionApp;
  host: DurableHost;
  clientData: ClientInputData;
  http(functionName: string, call: HttpCall): Promise<HttpResult>;
  timer(functionName: string): Promise<void>;
  close(): Promise<void>;
}

/** Loads the app (HYGGE_PROJECT_DIR must be set first: timers are registered at load). */
export async function startHarness(options: HostOptions = {}): Promise<Harness> {
  const app = loadFunctionApp();
  const host = new DurableHost(app, options);
  const endpoint = await startExtensionEndpoint(host);
  return {
    app,
    host,
    clientData: endpoint.clientData,
    http: (name, call) => invokeHttp(host, endpoint.clientData, name, call),
    timer: (name) => invokeTimer(host, endpoint.clientData, name),
    close: () => endpoint.close(),
  };
}
