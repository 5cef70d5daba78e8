import { assertLanesRespectCaps, assignLanes, type LaneJob } from '../../../src/orchestration/lanes';
import { randomInt, seededRandom } from './seededRandom';

function lanesPerConnection(lanes: string[][], jobs: LaneJob[]): Map<string, number> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const count = new Map<string, number>();
  for (const lane of lanes) {
    const footprint = new Set(lane.flatMap((id) => byId.get(id)!.connections));
    for (const c of footprint) count.set(c, (count.get(c) ?? 0) + 1);
  }
  return count;
}

function jobsOn(prefix: string, n: number, connections: string[]): LaneJob[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}.${i}`, connections }));
}

describe('assignLanes', () => {
  it('gives no lanes to an empty plan', () => {
    expect(assignLanes([], { caps: {}, maxLanes: 4 })).toEqual([]);
  });

  it('uses up to the cap of a single connection and balances by job count', () => {
    const jobs = jobsOn('sales', 10, ['sql']);
    const lanes = assignLanes(jobs, { caps: { sql: 3 }, maxLanes: 8 });
    expect(lanes).toHaveLength(3);
    expect(lanes.map((l) => l.length).sort()).toEqual([3, 3, 4]);
  });

  it('bounds jobs without a pooled connection by concurrency only', () => {
    const lanes = assignLanes(jobsOn('files', 10, []), { caps: {}, maxLanes: 4 });
    expect(lanes).toHaveLength(4);
  });

  it('never gives a group more lanes than it has jobs', () => {
    const lanes = assignLanes(jobsOn('one', 2, ['sql']), { caps: { sql: 5 }, maxLanes: 8 });
    expect(lanes).toHaveLength(2);
  });

  it('shares a connection between flows within its cap, and counts an entity on two connections against both', () => {
    const jobs = [
      ...jobsOn('a', 10, ['src']),
      ...jobsOn('b', 10, ['src']),
      ...jobsOn('copy', 6, ['dst', 'src']),
      ...jobsOn('blob', 10, []),
    ];
    const caps = { src: 3, dst: 1 };
    const lanes = assignLanes(jobs, { caps, maxLanes: 8 });
    const usage = lanesPerConnection(lanes, jobs);
    expect(usage.get('src')).toBeLessThanOrEqual(3);
    expect(usage.get('dst')).toBeLessThanOrEqual(1);
    expect(lanes.length).toBeLessThanOrEqual(8);
    expect(lanes.flat().sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it('folds groups into one lane when a cap of 1 leaves no other way', () => {
    // {a}, {b} and {a,b} with caps 1: only one lane may hold a, one may hold b
    const jobs = [...jobsOn('a', 3, ['a']), ...jobsOn('b', 3, ['b']), ...jobsOn('ab', 3, ['a', 'b'])];
    const lanes = assignLanes(jobs, { caps: { a: 1, b: 1 }, maxLanes: 4 });
    expect(lanes).toHaveLength(1);
    expect(lanes[0]).toHaveLength(9);
  });

  it('fills a lane budget: two connections and file-only jobs', () => {
    const jobs = [...jobsOn('a', 10, ['a']), ...jobsOn('b', 10, ['b']), ...jobsOn('ab', 5, ['a', 'b']), ...jobsOn('f', 10, [])];
    const lanes = assignLanes(jobs, { caps: { a: 2, b: 3 }, maxLanes: 8 });
    expect(lanes).toHaveLength(8);
    const usage = lanesPerConnection(lanes, jobs);
    expect(usage.get('a')).toBe(2);
    expect(usage.get('b')).toBe(3);
  });

  it('keeps plan order within a lane and is deterministic', () => {
    const jobs = [...jobsOn('x', 7, ['c']), ...jobsOn('y', 5, [])];
    const first = assignLanes(jobs, { caps: { c: 2 }, maxLanes: 3 });
    const second = assignLanes([...jobs], { caps: { c: 2 }, maxLanes: 3 });
    expect(second).toEqual(first);
    const position = new Map(jobs.map((j, i) => [j.id, i]));
    for (const lane of first) {
      const order = lane.map((id) => position.get(id)!);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('balances by weight when weights are given', () => {
    const jobs: LaneJob[] = [
      { id: 'big', connections: [], weight: 10 },
      ...Array.from({ length: 10 }, (_, i) => ({ id: `small.${i}`, connections: [], weight: 1 })),
    ];
    const lanes = assignLanes(jobs, { caps: {}, maxLanes: 2 });
    const bigLane = lanes.find((l) => l.includes('big'))!;
    expect(bigLane).toEqual(['big']);
  });

  it('holds the invariant on 5,000 random plans (seeded)', () => {
    const random = seededRandom(20261123);
    for (let round = 0; round < 5000; round++) {
      const connectionCount = randomInt(random, 0, 6);
      const connections = Array.from({ length: connectionCount }, (_, i) => `c${i}`);
      const caps: Record<string, number> = {};
      for (const c of connections) caps[c] = randomInt(random, 1, 4);
      const maxLanes = randomInt(random, 1, 10);
      const jobCount = randomInt(random, 0, 60);
      const jobs: LaneJob[] = [];
      for (let j = 0; j < jobCount; j++) {
        const uses = connectionCount === 0 ? 0 : randomInt(random, 0, Math.min(3, connectionCount));
        const set = new Set<string>();
        while (set.size < uses) set.add(connections[randomInt(random, 0, connectionCount - 1)]!);
        jobs.push({ id: `f${randomInt(random, 0, 3)}.e${j}`, connections: [...set], weight: random() < 0.3 ? randomInt(random, 1, 20) : undefined });
      }
      const limits = { caps, maxLanes };
      const lanes = assignLanes(jobs, limits);
      const context = `round ${round}`;
      // every job exactly once
      expect({ context, ids: lanes.flat().sort() }).toEqual({ context, ids: jobs.map((j) => j.id).sort() });
      // lanes within concurrency, none empty
      expect(lanes.length).toBeLessThanOrEqual(maxLanes);
      expect(lanes.every((l) => l.length > 0)).toBe(true);
      // lanes that may hold c ≤ caps[c]
      for (const [c, n] of lanesPerConnection(lanes, jobs)) {
        if (n > caps[c]!) throw new Error(`${context}: ${n} lanes hold ${c} (cap ${caps[c]})`);
      }
      // parallelism: a plan with jobs always gets at least one lane, and connection-free jobs
      // alone fill the lane budget
      if (jobs.length > 0) expect(lanes.length).toBeGreaterThan(0);
      if (jobs.length > 0 && jobs.every((j) => j.connections.length === 0)) {
        expect(lanes.length).toBe(Math.min(maxLanes, jobs.length));
      }
      expect(() => assertLanesRespectCaps(lanes, jobs, limits)).not.toThrow();
    }
  });

  it('assertLanesRespectCaps rejects an unsafe assignment', () => {
    const jobs = jobsOn('a', 2, ['sql']);
    expect(() => assertLanesRespectCaps([['a.0'], ['a.1']], jobs, { caps: { sql: 1 }, maxLanes: 4 })).toThrow(/cap is 1/);
    expect(() => assertLanesRespectCaps([['a.0']], jobs, { caps: { sql: 1 }, maxLanes: 4 })).toThrow(/no lane/);
  });
});
