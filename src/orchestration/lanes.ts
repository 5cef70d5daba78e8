/**
 * Lanes: how a run spreads its entity jobs over sequential workers so that no connection's
 * cap can be exceeded, whatever the timing.
 *
 * A lane runs its jobs ONE AFTER ANOTHER. Its footprint is the union of the connections its
 * jobs use. Because a lane holds at most one job at any moment, it holds each connection of
 * its footprint at most once, so at every moment
 *
 *     running jobs using c  ≤  #{ lanes whose footprint contains c }          (1)
 *     running jobs          ≤  #lanes                                         (2)
 *
 * `assignLanes` builds lanes such that #{lanes ∋ c} ≤ caps[c] for every connection c and
 * #lanes ≤ maxLanes. With (1) and (2) that bounds every connection by its cap and the run by
 * its concurrency, with no coordination between lanes at run time (which is what Durable
 * cannot give us cheaply: no shared semaphore, no sliding Task.any windows).
 *
 * Why the construction keeps the invariant (usage(c) = skeleton lanes whose footprint has c):
 *   - a lane is opened only when lanes < maxLanes and usage(c) < caps[c] for each of its c;
 *   - a connection is added to an existing lane's footprint only when usage(c) < caps[c];
 *   - two lanes are merged only to free room; a merge never raises any usage(c) (a connection
 *     in both lanes is counted once afterwards) and lowers the lane count;
 *   - a job is placed only in a lane whose footprint already contains all its connections,
 *     so the final footprints are subsets of the skeleton's and counts can only be lower.
 * By induction usage(c) ≤ caps[c] and lanes ≤ maxLanes at every step; `assertLanesRespectCaps`
 * re-checks the final assignment from the jobs themselves and throws rather than return a
 * plan that could break a cap.
 *
 * Parallelism: jobs are grouped by their exact connection set. Every group first gets one
 * lane where caps allow (heaviest first); a group that cannot is folded into the existing
 * lane it overlaps most (merging lanes if its connections are saturated). Remaining room is
 * then handed out one lane at a time to the group with the most work per lane, and finally
 * jobs are spread over the lanes that admit them, heaviest job to the least loaded lane
 * (longest-processing-time first), so lanes finish at about the same time.
 */
import { HyggeError } from '../errors';

export interface LaneJob {
  id: string;
  /** pooled connections the job holds while it runs */
  connections: readonly string[];
  /** relative cost, to balance lanes; 1 when unknown */
  weight?: number;
}

export interface LaneLimits {
  /** the most jobs that may hold each connection at once; a connection missing here counts as 1 */
  caps: Readonly<Record<string, number>>;
  /** the most lanes in all (the run's concurrency) */
  maxLanes: number;
}

interface Group {
  key: string;
  connections: string[];
  jobs: Array<{ job: LaneJob; index: number }>;
  weight: number;
}

interface SkeletonLane {
  footprint: Set<string>;
  groups: Set<string>;
  plannedWeight: number;
}

/** Splits jobs into lanes (lists of job ids, each run in order) that respect `limits`. */
export function assignLanes(jobs: readonly LaneJob[], limits: LaneLimits): string[][] {
  if (!Number.isInteger(limits.maxLanes) || limits.maxLanes < 1) {
    throw new HyggeError('INTERNAL', `maxLanes must be a whole number of at least 1, got ${limits.maxLanes}`);
  }
  if (jobs.length === 0) return [];
  const capOf = (c: string): number => Math.max(1, Math.floor(limits.caps[c] ?? 1));
  const groups = groupByConnectionSet(jobs);
  const skeleton = new LaneSkeleton(capOf, limits.maxLanes);

  // every group gets somewhere to run, heaviest first
  for (const group of groups) {
    if (skeleton.canOpen(group.connections)) skeleton.open(group);
    else skeleton.foldIn(group);
  }
  // widen: one more lane at a time to the group with the most work per lane
  for (;;) {
    let best: Group | undefined;
    let bestShare = -1;
    for (const group of groups) {
      const lanes = skeleton.lanesAdmitting(group.key);
      if (lanes >= group.jobs.length || !skeleton.canOpen(group.connections)) continue;
      const share = group.weight / lanes;
      if (share > bestShare) {
        best = group;
        bestShare = share;
      }
    }
    if (!best) break;
    skeleton.open(best);
  }

  const lanes = distributeJobs(groups, skeleton.lanes);
  assertLanesRespectCaps(lanes, jobs, limits);
  return lanes;
}

/** Throws unless every job is in exactly one lane and every cap and the lane limit hold. */
export function assertLanesRespectCaps(lanes: readonly string[][], jobs: readonly LaneJob[], limits: LaneLimits): void {
  const fail = (what: string): never => {
    throw new HyggeError('INTERNAL', `lane assignment is unsafe: ${what}`, {
      hint: 'This is a bug in hygge; please report it with the plan (hygge go --dry-run).',
    });
  };
  if (lanes.length > limits.maxLanes) fail(`${lanes.length} lanes for a concurrency of ${limits.maxLanes}`);
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const seen = new Set<string>();
  const lanesPerConnection = new Map<string, number>();
  for (const lane of lanes) {
    const footprint = new Set<string>();
    for (const id of lane) {
      const job = byId.get(id) ?? fail(`unknown job ${id}`);
      if (seen.has(id)) fail(`job ${id} is in two lanes`);
      seen.add(id);
      for (const c of job.connections) footprint.add(c);
    }
    for (const c of footprint) lanesPerConnection.set(c, (lanesPerConnection.get(c) ?? 0) + 1);
  }
  if (seen.size !== byId.size) fail(`${byId.size - seen.size} jobs have no lane`);
  for (const [c, n] of lanesPerConnection) {
    const cap = Math.max(1, Math.floor(limits.caps[c] ?? 1));
    if (n > cap) fail(`${n} lanes may hold connection ${c}, whose cap is ${cap}`);
  }
}

function groupByConnectionSet(jobs: readonly LaneJob[]): Group[] {
  const byKey = new Map<string, Group>();
  jobs.forEach((job, index) => {
    const connections = [...new Set(job.connections)].sort();
    const key = connections.join('\u0000');
    let group = byKey.get(key);
    if (!group) {
      group = { key, connections, jobs: [], weight: 0 };
      byKey.set(key, group);
    }
    group.jobs.push({ job, index });
    group.weight += weightOf(job);
  });
  // heaviest first; ties by key so the result never depends on Map order
  return [...byKey.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function weightOf(job: LaneJob): number {
  const w = job.weight ?? 1;
  return Number.isFinite(w) && w > 0 ? w : 1;
}

/** Lane footprints before jobs are placed, with the per-connection usage they imply. */
class LaneSkeleton {
  readonly lanes: SkeletonLane[] = [];
  private readonly usage = new Map<string, number>();

  constructor(
    private readonly capOf: (c: string) => number,
    private readonly maxLanes: number,
  ) {}

  canOpen(connections: readonly string[]): boolean {
    return this.lanes.length < this.maxLanes && connections.every((c) => this.used(c) < this.capOf(c));
  }

  open(group: Group): void {
    for (const c of group.connections) this.usage.set(c, this.used(c) + 1);
    this.lanes.push({ footprint: new Set(group.connections), groups: new Set([group.key]), plannedWeight: group.weight });
  }

  lanesAdmitting(groupKey: string): number {
    return this.lanes.filter((l) => l.groups.has(groupKey)).length;
  }

  /**
   * Puts a group that cannot have its own lane into the existing lane it overlaps most
   * (then the least planned work). Its saturated connections that lane lacks are brought in
   * by merging in a lane that holds them; the others are added while they have room.
   */
  foldIn(group: Group): void {
    const target = this.bestHost(group);
    for (;;) {
      const saturated = group.connections.find((c) => !target.footprint.has(c) && this.used(c) >= this.capOf(c));
      if (saturated === undefined) break;
      // usage(saturated) ≥ cap ≥ 1 and target lacks it, so another lane holds it
      const holder = this.lanes.find((l) => l !== target && l.footprint.has(saturated))!;
      this.merge(target, holder);
    }
    for (const c of group.connections) {
      if (!target.footprint.has(c)) {
        target.footprint.add(c);
        this.usage.set(c, this.used(c) + 1);
      }
    }
    target.groups.add(group.key);
    target.plannedWeight += group.weight;
  }

  private bestHost(group: Group): SkeletonLane {
    let best = this.lanes[0]!;
    let bestOverlap = -1;
    for (const lane of this.lanes) {
      const overlap = group.connections.filter((c) => lane.footprint.has(c)).length;
      if (overlap > bestOverlap || (overlap === bestOverlap && lane.plannedWeight < best.plannedWeight)) {
        best = lane;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  /** `from` joins `into`; connections both held are now held once, so usage only drops. */
  private merge(into: SkeletonLane, from: SkeletonLane): void {
    for (const c of from.footprint) {
      if (into.footprint.has(c)) this.usage.set(c, this.used(c) - 1);
      else into.footprint.add(c);
    }
    for (const g of from.groups) into.groups.add(g);
    into.plannedWeight += from.plannedWeight;
    this.lanes.splice(this.lanes.indexOf(from), 1);
  }

  private used(c: string): number {
    return this.usage.get(c) ?? 0;
  }
}

/**
 * Heaviest job first to the least loaded lane that admits its group; each lane then runs its
 * jobs in plan order. Lanes left empty are dropped (dropping a lane never breaks a cap).
 */
function distributeJobs(groups: readonly Group[], skeleton: readonly SkeletonLane[]): string[][] {
  const load = new Array<number>(skeleton.length).fill(0);
  const placed: Array<Array<{ id: string; index: number }>> = skeleton.map(() => []);
  const admitting = new Map(groups.map((g) => [g.key, skeleton.flatMap((l, i) => (l.groups.has(g.key) ? [i] : []))]));
  const all = groups.flatMap((g) => g.jobs.map((entry) => ({ ...entry, group: g.key })));
  all.sort((a, b) => weightOf(b.job) - weightOf(a.job) || a.index - b.index);
  for (const { job, index, group } of all) {
    let best = -1;
    for (const lane of admitting.get(group)!) if (best < 0 || load[lane]! < load[best]!) best = lane;
    load[best]! += weightOf(job);
    placed[best]!.push({ id: job.id, index });
  }
  return placed.filter((lane) => lane.length > 0).map((lane) => lane.sort((a, b) => a.index - b.index).map((e) => e.id));
}
