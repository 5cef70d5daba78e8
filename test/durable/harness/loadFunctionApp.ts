/**
 * Loads the real Functions app (functions/index.ts) in a fresh module registry and captures
 * what it registers. @azure/functions outside the Functions host skips registrations, so
 * before the app loads, `app.generic`, `app.http` and `app.timer` of THAT registry's
 * @azure/functions are replaced by recorders. durable-functions registers its orchestrations
 * and activities through `app.generic` with its own wrappers around our handlers, so the
 * handlers captured here are exactly what the host would call.
 */
import type * as AzureFunctions from '@azure/functions';
import type * as DurableFunctions from 'durable-functions';

export type RegistrationKind = 'generic' | 'http' | 'timer';

export interface Registration {
  name: string;
  kind: RegistrationKind;
  // the options object as given to @azure/functions (trigger, extraInputs, handler, ...)
  options: { handler: (...args: any[]) => unknown; trigger?: { type: string; name: string }; extraInputs?: AzureFunctions.FunctionInput[]; [key: string]: unknown };
}

export interface FunctionApp {
  registrations: Map<string, Registration>;
  /** app lifecycle hooks the app registered (appTerminate, ...) */
  hooks: Record<string, unknown[]>;
  /** the @azure/functions instance the app was loaded with (for HttpRequest, InvocationContext) */
  azf: typeof AzureFunctions;
  df: typeof DurableFunctions;
  /** modules of the app's registry, for tests that reach into a cache (e.g. forgetProjects) */
  requireInApp: (id: string) => unknown;
}

const APP_ENTRY = require.resolve('../../../functions/index');

export function loadFunctionApp(): FunctionApp {
  let app: FunctionApp | undefined;
  isolate(() => {
    const azf = require('@azure/functions') as typeof AzureFunctions;
    const registrations = new Map<string, Registration>();
    const recorder = (kind: RegistrationKind) => (name: string, options: Registration['options']) => {
      if (registrations.has(name)) throw new Error(`function ${name} registered twice`);
      registrations.set(name, { name, kind, options });
    };
    const mutableApp = azf.app as unknown as Record<RegistrationKind, unknown>;
    mutableApp.generic = recorder('generic');
    mutableApp.http = recorder('http');
    mutableApp.timer = recorder('timer');
    const hooks: Record<string, unknown[]> = {};
    const mutableHooks = azf.app.hook as unknown as Record<string, unknown>;
    for (const hook of ['appStart', 'appTerminate', 'preInvocation', 'postInvocation']) {
      mutableHooks[hook] = (handler: unknown) => {
        (hooks[hook] ??= []).push(handler);
        return { dispose: () => undefined };
      };
    }
    require(APP_ENTRY);
    app = {
      registrations,
      hooks,
      azf,
      df: require('durable-functions') as typeof DurableFunctions,
      requireInApp: (id: string) => require(id) as unknown,
    };
  });
  return app!;
}

/** jest.isolateModules under jest; a cleared require cache elsewhere (the bench). */
function isolate(load: () => void): void {
  if (typeof jest !== 'undefined') {
    jest.isolateModules(load);
    return;
  }
  for (const key of Object.keys(require.cache)) {
    if (key.includes('/functions/') || key.includes('/src/') || key.includes('@azure/functions') || key.includes('durable-functions')) {
      delete require.cache[key];
    }
  }
  load();
}
