/**
 * The `schedules:` of hygge.yml, read synchronously at start-up.
 *
 * Functions are registered while the app's entry module loads, and the host indexes them
 * right after, so one timer per schedule has to be known synchronously then. The full
 * project loader is async (it reads every flow), so this reads only hygge.yml with the same
 * YAML parser and the same Schedule schema, and checks each cron as NCRONTAB. A broken
 * schedule stops the app with a message naming it (better than a timer that silently never
 * fires); a missing hygge.yml registers no timers and lets the HTTP API report the problem.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ScheduleSchema, type Schedule } from '../../src/config/schema';
import { HyggeError } from '../../src/errors';
import { ncrontabProblem } from '../../src/orchestration/ncrontab';

export function readSchedules(dir: string): Schedule[] {
  const file = join(dir, 'hygge.yml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const doc = (parse(text) ?? {}) as { schedules?: unknown };
  const parsed = z.array(ScheduleSchema).safeParse(doc.schedules ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HyggeError('CONFIG_INVALID', `schedules: ${issue.message}`, {
      context: { file, keyPath: ['schedules', ...issue.path].join('.') },
    });
  }
  const seen = new Set<string>();
  parsed.data.forEach((schedule, i) => {
    const keyPath = `schedules.${i}.cron`;
    const problem = ncrontabProblem(schedule.cron);
    if (problem) {
      throw new HyggeError('CONFIG_INVALID', `schedule "${schedule.name}": ${problem}`, { context: { file, keyPath } });
    }
    if (seen.has(schedule.name)) {
      throw new HyggeError('CONFIG_INVALID', `two schedules are named "${schedule.name}"`, {
        context: { file, keyPath: `schedules.${i}.name` },
        hint: 'Schedule names become timer function names and instance ids; make them unique.',
      });
    }
    seen.add(schedule.name);
  });
  return parsed.data;
}
