/** The messages between the local runner and its entity threads. */
import type { ProjectConfig } from '../config/project';
import type { EntityJob } from '../plan/job';
import type { EntitySummary } from './summary';

export type ToThread =
  | { type: 'run'; taskId: number; runId: string; project: ProjectConfig; job: EntityJob }
  | { type: 'cancel'; taskId: number }
  | { type: 'close'; runId: string };

export type FromThread =
  | { type: 'progress'; taskId: number; rows: number; bytes: number }
  | { type: 'done'; taskId: number; summary: EntitySummary }
  | { type: 'closed'; runId: string; error?: string };
