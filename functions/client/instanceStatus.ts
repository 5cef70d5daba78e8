/**
 * getStatus that answers undefined for an instance that does not exist: the durable client
 * throws for the extension's 404, which for us just means "no such run (yet)".
 */
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';

export async function instanceStatus(client: DurableClient, instanceId: string): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, { showInput: true });
  } catch (err) {
    if (err instanceof Error && /HTTP 404/.test(err.message)) return undefined;
    throw err;
  }
}
