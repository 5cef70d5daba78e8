/** What `hygge go --dry-run` prints: every job, where it reads and writes, and the caps. */
import type { Plan } from '../../plan/job';
import { describeHome, describeStore } from './endpointText';
import { formatTable, indent } from './format';

export function planText(plan: Plan): string {
  const lines = [
    `Plan for project ${plan.project} (run ${plan.runId}): ${plan.jobs.length} ${plan.jobs.length === 1 ? 'entity' : 'entities'}, at most ${plan.concurrency} at once`,
    '',
  ];
  if (plan.jobs.length === 0) {
    lines.push('  nothing to run: no enabled entity matches the selection');
  } else {
    const rows = plan.jobs.map((job) => [job.id, job.run_type, `${describeHome(job.home)} → ${describeStore(job.store)}`]);
    lines.push(indent(formatTable(['entity', 'run type', 'home → store'], rows, [false, false, false])));
  }
  const caps = Object.entries(plan.caps);
  if (caps.length > 0) {
    lines.push('', 'Connection caps (most entities using each at once):');
    for (const [connection, cap] of caps) lines.push(`  ${connection}: ${cap}`);
  }
  lines.push('', 'Dry run: nothing was connected to, read or written.');
  return lines.join('\n');
}
