/** `hygge go`: load the project, plan, and run it here (or print the plan with --dry-run). */
import { loadProject } from '../../config/loadProject';
import type { RunType } from '../../config/schema';
import { buildPlan } from '../../plan/buildPlan';
import { EXIT_ENTITY_FAILED, EXIT_INTERRUPTED, EXIT_OK } from '../exitCodes';
import type { CliIO } from '../io';
import { planText } from '../output/planText';
import { progressReporter } from '../output/progressReporter';
import { summaryText } from '../output/summaryText';
import { parseVars } from '../parseArgs';
import { reportError } from '../reportError';

export interface GoOptions {
  project: string;
  flow: string[];
  entity: string[];
  concurrency?: number;
  runType?: RunType;
  var: string[];
  dryRun?: boolean;
  verbose?: boolean;
  json?: boolean;
}

export async function goCommand(opts: GoOptions, io: CliIO): Promise<number> {
  try {
    const project = await loadProject(opts.project, { vars: parseVars(opts.var) });
    const plan = buildPlan(
      project,
      { flows: opts.flow, entities: opts.entity, ...(opts.runType ? { run_type: opts.runType } : {}) },
      { concurrency: opts.concurrency },
    );
    if (opts.dryRun) {
      io.out(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : `${planText(plan)}\n`);
      return EXIT_OK;
    }

    // The engine (threads, drivers, SDKs) is loaded only for a real run; a dry run needs none of it.
    const { runPlanLocally } = await import('../../engine/localRunner');
    const progress = opts.json ? undefined : progressReporter(io.progressStream, plan.jobs.map((j) => j.id));
    // Ctrl-C cancels the running entities (their staged data is discarded); a second one quits.
    const cancel = new AbortController();
    const onInterrupt = () => {
      if (cancel.signal.aborted) process.exit(EXIT_INTERRUPTED);
      io.err('\ncancelling: stopping running entities (Ctrl-C again to quit at once)\n');
      cancel.abort();
    };
    process.on('SIGINT', onInterrupt);
    let summaries;
    try {
      summaries = await runPlanLocally(plan, project, progress ?? {}, { signal: cancel.signal });
    } finally {
      process.off('SIGINT', onInterrupt);
      progress?.stop();
    }
    io.out(opts.json ? `${JSON.stringify(summaries, null, 2)}\n` : `\n${summaryText(summaries)}\n`);
    if (cancel.signal.aborted) return EXIT_INTERRUPTED;
    return summaries.some((s) => s.status === 'failed') ? EXIT_ENTITY_FAILED : EXIT_OK;
  } catch (err) {
    return reportError(err, opts.verbose ?? false, io.err);
  }
}
