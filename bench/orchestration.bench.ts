/**
 * Orchestration overhead: the real hyggeRun/hyggeLane orchestrators replayed by the durable
 * harness for 100, 1,000 and 10,000 entities on one connection with a cap of 8 (concurrency
 * 8), every activity completing at once. Reports the CPU time spent inside orchestrator
 * replays (process.cpuUsage around each orchestrator invocation) and the history sizes.
 *
 *   npx ts-node --transpile-only bench/orchestration.bench.ts
 */
import { startHarness } from '../test/durable/harness';
import { plannedRun, succeeded } from '../test/durable/support';

interface Row {
  entities: number;
  lanes: number;
  orchestratorInvocations: number;
  replayCpuMs: number;
  cpuPerEntityMs: number;
  maxEventsPerExecution: number;
  totalEvents: number;
  executions: number;
  /** the largest input of a lane execution (outcomes so far travel through continue-as-new) */
  maxLaneInputKB: number;
  /** the plan activity's result */
  planResultKB: number;
  wallMs: number;
}

async function measure(entities: number): Promise<Row> {
  const jobs = Array.from({ length: entities }, (_, i) => ({ id: `bench.t${i}`, connections: ['sql'] }));
  const plan = plannedRun('bench', jobs, { sql: 8 }, 8);
  const harness = await startHarness({
    activityOverrides: { plan: () => plan, runEntity: (input: { jobId: string }) => succeeded(input.jobId) },
  });
  try {
    const started = performance.now();
    harness.host.startNew('hyggeRun', 'bench', { runId: 'bench', filter: {}, vars: {} });
    await harness.host.runUntilIdle();
    const wallMs = performance.now() - started;
    const run = harness.host.mustGet('bench');
    if (run.runtimeStatus !== 'Completed') throw new Error(`bench run ended ${run.runtimeStatus}: ${String(run.output)}`);
    const stats = harness.host.historyStats();
    const replayCpuMs = harness.host.replayCpuMicros / 1000;
    return {
      entities,
      lanes: [...harness.host.instances.values()].filter((i) => i.name === 'hyggeLane').length,
      orchestratorInvocations: harness.host.orchestratorInvocations,
      replayCpuMs: Math.round(replayCpuMs),
      cpuPerEntityMs: Math.round((replayCpuMs / entities) * 1000) / 1000,
      maxEventsPerExecution: stats.maxEventsPerExecution,
      totalEvents: stats.totalEvents,
      executions: stats.executions,
      maxLaneInputKB: Math.round(
        Math.max(...[...harness.host.instances.values()].filter((i) => i.name === 'hyggeLane').map((i) => JSON.stringify(i.input).length)) / 1024,
      ),
      planResultKB: Math.round(JSON.stringify(plan).length / 1024),
      wallMs: Math.round(wallMs),
    };
  } finally {
    await harness.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const n of [100, 1_000, 10_000]) rows.push(await measure(n));
  console.table(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
