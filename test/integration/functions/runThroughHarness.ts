import type { Harness } from '../../durable/harness';

/** Starts a run over HTTP, as a client would, and drives the harness until everything is idle. */
export async function runThroughHarness(harness: Harness, body: Record<string, unknown> = {}): Promise<{ status: string; output: any }> {
  const started = await harness.http('runs-start', { method: 'POST', path: '/api/runs', body });
  if (started.status !== 202) throw new Error(`runs-start answered ${started.status}: ${JSON.stringify(started.body)}`);
  await harness.host.runUntilIdle();
  const instance = harness.host.mustGet(started.body.id);
  return { status: instance.runtimeStatus, output: instance.output };
}
