/**
 * The journal: what every entity run recorded, and the watermark each incremental entity
 * reached. It lives in the project's state location (`options.state`): a local folder, or a
 * prefix in a Blob connection, so the CLI and the Functions app share it.
 *
 *   <state>/runs/<runId>/<flow>/<entity>.json     one record per entity run
 *   <state>/watermarks/<flow>/<entity>.json        the last successful run's watermark
 *
 * Each object is written whole (the object store writes atomically), so a reader sees the
 * previous record or the new one, never half of one.
 */
import { Readable } from 'node:stream';
import type { ObjectStore } from '../storage/objectStore';
import type { EntitySummary } from './summary';

export interface JournalRecord extends EntitySummary {
  runId: string;
  finishedAt: string;
}

interface WatermarkRecord {
  watermark: string;
  runId: string;
  at: string;
}

export class Journal {
  constructor(
    private readonly store: ObjectStore,
    private readonly prefix: string,
  ) {}

  async lastWatermark(flow: string, entity: string): Promise<string | undefined> {
    const key = this.key('watermarks', flow, `${entity}.json`);
    if (!(await this.store.exists(key))) return undefined;
    const record = (await this.readJson(key)) as WatermarkRecord;
    return record.watermark;
  }

  async saveWatermark(flow: string, entity: string, watermark: string, runId: string): Promise<void> {
    const record: WatermarkRecord = { watermark, runId, at: new Date().toISOString() };
    await this.writeJson(this.key('watermarks', flow, `${entity}.json`), record);
  }

  async record(runId: string, summary: EntitySummary): Promise<void> {
    const record: JournalRecord = { ...summary, runId, finishedAt: new Date().toISOString() };
    await this.writeJson(this.key('runs', runId, summary.flow, `${summary.entity}.json`), record);
  }

  async runRecords(runId: string): Promise<JournalRecord[]> {
    const objects = await this.store.list(this.key('runs', runId) + '/');
    return Promise.all(objects.map(async (o) => (await this.readJson(o.key)) as JournalRecord));
  }

  private key(...parts: string[]): string {
    return [this.prefix.replace(/\/+$/, ''), ...parts].filter((p) => p.length > 0).join('/');
  }

  private async writeJson(key: string, value: unknown): Promise<void> {
    await this.store.write(key, Readable.from([Buffer.from(JSON.stringify(value, null, 2))]));
  }

  private async readJson(key: string): Promise<unknown> {
    const copy = await this.store.localCopy(key);
    try {
      const { readFile } = await import('node:fs/promises');
      return JSON.parse(await readFile(copy.path, 'utf8'));
    } finally {
      await copy.release();
    }
  }
}
