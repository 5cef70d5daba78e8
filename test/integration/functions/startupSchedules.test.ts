import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSchedules } from '../../../functions/project/startupSchedules';

describe('schedules read at start-up', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hygge-schedules-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (yml: string) => writeFileSync(join(dir, 'hygge.yml'), yml);

  it('registers nothing when there is no hygge.yml', () => {
    expect(readSchedules(dir)).toEqual([]);
  });

  it('reads valid schedules', () => {
    write('name: p\nschedules:\n  - name: nightly\n    cron: "0 30 2 * * *"\n    flows: [sales]\n');
    expect(readSchedules(dir)).toEqual([{ name: 'nightly', cron: '0 30 2 * * *', flows: ['sales'] }]);
  });

  it('stops with the schedule and key named for a five-field cron', () => {
    write('name: p\nschedules:\n  - name: nightly\n    cron: "30 2 * * *"\n');
    expect(() => readSchedules(dir)).toThrow(/schedule "nightly": "30 2 \* \* \*" has 5 fields/);
    try {
      readSchedules(dir);
    } catch (err) {
      expect((err as { context: { keyPath: string } }).context.keyPath).toBe('schedules.0.cron');
    }
  });

  it('rejects duplicate names and bad names', () => {
    write('name: p\nschedules:\n  - { name: a, cron: "0 0 * * * *" }\n  - { name: a, cron: "0 0 * * * *" }\n');
    expect(() => readSchedules(dir)).toThrow(/two schedules are named "a"/);
    write('name: p\nschedules:\n  - { name: "1 bad", cron: "0 0 * * * *" }\n');
    expect(() => readSchedules(dir)).toThrow(/schedules/);
  });
});
