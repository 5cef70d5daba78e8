/**
 * A tiny in-memory Durable host that drives the app's REAL orchestrator and activity
 * handlers (as registered with durable-functions) the way the Durable extension does:
 *
 * - an orchestrator is invoked with its whole history (OrchestratorStarted, the new event,
 *   replayed events before it) and answers an OrchestratorState whose actions list — for
 *   upperSchemaVersion ≥ V2 — holds every action since the execution started; the host acts
 *   on the ones it has not seen and checks the others match (determinism), like DTFx;
 * - actions become history: TaskScheduled, SubOrchestrationInstanceCreated, TimerCreated;
 *   CallActivityWithRetry is retried by the host: TaskFailed, then a TimerCreated/TimerFired
 *   with the backoff interval, then a new TaskScheduled, up to maxNumberOfAttempts (and, as
 *   DTFx does, a last timer after the last failed attempt);
 * - sub-orchestrations are instances of their own; their completion or failure is reported
 *   to the parent; ContinueAsNew starts a fresh execution of the same instance id.
 *
 * Time is virtual. An activity starts when it is scheduled and completes `activityDuration`
 * ms later; the host always delivers the earliest pending event next and delivers ONE event
 * per episode. Every activity execution is recorded on a timeline (start, end), so tests
 * can check what ran at the same moment across all lanes.
 */
import { randomUUID } from 'node:crypto';
import { events, EventType, json, type HistoryEvent } from './historyEvents';
import type { FunctionApp, Registration } from './loadFunctionApp';

/** durable-functions' ReplaySchema: V2 = 1, V3 = 2, V4 = 3. */
export const EXTENSION_UPPER_SCHEMA_VERSION = 1;
export const EXTENSION_UPPER_SCHEMA_VERSION_NEW = 2;

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated';

interface RetryPolicyOnWire {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

interface WireAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryPolicyOnWire;
  fireAt?: string;
  compoundActions?: WireAction[];
}

interface RetryState {
  name: string;
  input: unknown;
  policy: RetryPolicyOnWire;
  attempt: number;
}

export interface Instance {
  instanceId: string;
  name: string;
  input: unknown;
  parent?: { instanceId: string; taskId: number };
  runtimeStatus: RuntimeStatus;
  history: HistoryEvent[];
  /** the history of the last finished execution (for replaying a finished instance) */
  finishedHistory: HistoryEvent[];
  /** history length of every finished execution (continue-as-new starts a new one) */
  executionSizes: number[];
  executions: number;
  output: unknown;
  customStatus: unknown;
  createdTime: number;
  lastUpdatedTime: number;
  nextSequence: number;
  seenActions: string[];
  retriesByTask: Map<number, RetryState>;
  retriesByTimer: Map<number, RetryState>;
}

export interface ActivityExecution {
  instanceId: string;
  name: string;
  input: any;
  attempt: number;
  start: number;
  end: number;
  ok: boolean;
}

export interface HostOptions {
  /** how long an activity takes in virtual ms (default 0: completes at once) */
  activityDuration?: (name: string, input: any, attempt: number) => number;
  /** replaces an activity's implementation (scheduling-only tests); the orchestrators stay real */
  activityOverrides?: Record<string, (input: any, attempt: number) => unknown>;
  /** virtual start time */
  startTime?: number;
}

const ActionType = { CallActivity: 0, CallActivityWithRetry: 1, CallSubOrchestrator: 2, ContinueAsNew: 4, CreateTimer: 5, WhenAny: 11, WhenAll: 12 };
const OUT_OF_PROC_DATA = '\n\n$OutOfProcData$:';

interface Pending {
  at: number;
  seq: number;
  instanceId: string;
  event: HistoryEvent;
}

export class DurableHost {
  readonly instances = new Map<string, Instance>();
  readonly timeline: ActivityExecution[] = [];
  readonly logs: Array<{ functionName: string; level: string; message: string }> = [];
  now: number;
  /** CPU time spent inside orchestrator handlers (replays), µs */
  replayCpuMicros = 0;
  orchestratorInvocations = 0;
  private queue: Pending[] = [];
  private seq = 0;
  /** activities whose handler is still running (in real time); awaited before time moves on */
  private readonly inflight = new Set<Promise<void>>();
  private readonly attemptsByKey = new Map<string, number>();

  constructor(
    readonly app: FunctionApp,
    private readonly options: HostOptions = {},
  ) {
    this.now = options.startTime ?? Date.parse('2026-01-01T00:00:00Z');
  }

  // ─── client operations (what the extension's HTTP API does) ──────────────────────────

  startNew(name: string, instanceId: string = randomUUID().replace(/-/g, ''), input?: unknown): string {
    this.registration(name, 'orchestrationTrigger');
    const existing = this.instances.get(instanceId);
    if (existing && (existing.runtimeStatus === 'Pending' || existing.runtimeStatus === 'Running')) {
      throw new Error(`an instance with id ${instanceId} is already ${existing.runtimeStatus}`);
    }
    this.createInstance(name, instanceId, roundTrip(input));
    return instanceId;
  }

  terminate(instanceId: string, reason: string): 'terminated' | 'not-found' | 'not-running' {
    const instance = this.instances.get(instanceId);
    if (!instance) return 'not-found';
    if (instance.runtimeStatus !== 'Pending' && instance.runtimeStatus !== 'Running') return 'not-running';
    instance.history.push(events.executionTerminated(this.now, reason));
    this.finishExecution(instance);
    instance.runtimeStatus = 'Terminated';
    instance.output = reason;
    instance.lastUpdatedTime = this.now;
    return 'terminated';
  }

  // ─── running ──────────────────────────────────────────────────────────────────────────

  /** Delivers events until nothing is pending (or virtual time passes `until`). */
  async runUntilIdle(opts: { until?: number; maxEpisodes?: number } = {}): Promise<void> {
    let episodes = 0;
    for (;;) {
      while (this.inflight.size > 0) await Promise.all([...this.inflight]);
      const next = this.popNext(opts.until);
      if (!next) return;
      this.now = Math.max(this.now, next.at);
      await this.deliver(next.instanceId, next.event);
      if (opts.maxEpisodes !== undefined && ++episodes >= opts.maxEpisodes) return;
    }
  }

  /** Replays an instance's current history once more and returns the actions it gives. */
  async replay(instanceId: string): Promise<{ newActions: WireAction[]; isDone: boolean }> {
    const instance = this.mustGet(instanceId);
    const history = instance.history.length > 0 ? instance.history : instance.finishedHistory;
    if (history.length === 0) return { newActions: [], isDone: false }; // not started yet
    const state = await this.invokeOrchestrator({ ...instance, history: history.map((e) => ({ ...e, IsPlayed: true })) });
    const actions = flatten(state.actions);
    return { newActions: actions.slice(instance.seenActions.length), isDone: state.isDone };
  }

  /** The largest history of any execution of any orchestration so far, and the sum. */
  historyStats(): { maxEventsPerExecution: number; totalEvents: number; executions: number; instances: number } {
    let max = 0;
    let total = 0;
    let executions = 0;
    for (const instance of this.instances.values()) {
      const sizes = [...instance.executionSizes];
      if (instance.runtimeStatus === 'Running' || instance.runtimeStatus === 'Pending') sizes.push(instance.history.length);
      for (const size of sizes) {
        max = Math.max(max, size);
        total += size;
        executions++;
      }
    }
    return { maxEventsPerExecution: max, totalEvents: total, executions, instances: this.instances.size };
  }

  // ─── internals ────────────────────────────────────────────────────────────────────────

  private createInstance(name: string, instanceId: string, input: unknown, parent?: Instance['parent']): Instance {
    const instance: Instance = {
      instanceId,
      name,
      input,
      ...(parent ? { parent } : {}),
      runtimeStatus: 'Pending',
      history: [],
      finishedHistory: [],
      executionSizes: [],
      executions: 1,
      output: undefined,
      customStatus: undefined,
      createdTime: this.now,
      lastUpdatedTime: this.now,
      nextSequence: 0,
      seenActions: [],
      retriesByTask: new Map(),
      retriesByTimer: new Map(),
    };
    this.instances.set(instanceId, instance);
    this.enqueue(this.now, instanceId, events.executionStarted(this.now, name, input));
    return instance;
  }

  private enqueue(at: number, instanceId: string, event: HistoryEvent, seq: number = this.seq++): void {
    this.queue.push({ at, seq, instanceId, event });
  }

  private popNext(until?: number): Pending | undefined {
    if (this.queue.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const a = this.queue[i]!;
      const b = this.queue[best]!;
      if (a.at < b.at || (a.at === b.at && a.seq < b.seq)) best = i;
    }
    if (until !== undefined && this.queue[best]!.at > until) return undefined;
    return this.queue.splice(best, 1)[0];
  }

  /** One episode: OrchestratorStarted + the event, run the orchestrator, act on its answer. */
  private async deliver(instanceId: string, event: HistoryEvent): Promise<void> {
    const instance = this.instances.get(instanceId);
    if (!instance || instance.runtimeStatus === 'Completed' || instance.runtimeStatus === 'Failed' || instance.runtimeStatus === 'Terminated') return;
    for (const e of instance.history) e.IsPlayed = true;
    instance.history.push(events.orchestratorStarted(this.now), event);
    instance.runtimeStatus = 'Running';
    instance.lastUpdatedTime = this.now;

    // The host's retry interceptor reacts to the event before the SDK's new actions get ids,
    // as the SDK itself allocates the timer/retry ids while replaying this event.
    const retryAfterEvent = this.retryBookkeeping(instance, event);

    let state: OrchestratorState;
    try {
      state = await this.invokeOrchestrator(instance);
    } catch (err) {
      this.failOrchestration(instance, err);
      return;
    }
    retryAfterEvent?.();
    instance.customStatus = state.customStatus;

    const actions = flatten(state.actions);
    this.checkDeterminism(instance, actions);
    const fresh = actions.slice(instance.seenActions.length);
    instance.seenActions.push(...fresh.map(signature));
    let continueAsNew: WireAction | undefined;
    for (const action of fresh) {
      if (action.actionType === ActionType.ContinueAsNew) continueAsNew = action;
      else this.schedule(instance, action);
    }
    instance.history.push(events.orchestratorCompleted(this.now));

    if (!state.isDone) return;
    if (continueAsNew) {
      const input = typeof continueAsNew.input === 'string' ? JSON.parse(continueAsNew.input) : continueAsNew.input;
      instance.history.push(events.executionCompleted(this.now, 'ContinuedAsNew', null));
      this.finishExecution(instance);
      instance.executions++;
      instance.input = input;
      instance.nextSequence = 0;
      instance.seenActions = [];
      instance.retriesByTask.clear();
      instance.retriesByTimer.clear();
      this.enqueue(this.now, instance.instanceId, events.executionStarted(this.now, instance.name, input));
      return;
    }
    instance.history.push(events.executionCompleted(this.now, 'Completed', state.output));
    this.finishExecution(instance);
    instance.runtimeStatus = 'Completed';
    instance.output = state.output === undefined ? null : state.output;
    if (instance.parent) {
      this.enqueue(this.now, instance.parent.instanceId, events.subOrchestrationCompleted(this.now, instance.parent.taskId, state.output));
    }
  }

  private failOrchestration(instance: Instance, err: unknown): void {
    // The SDK throws an OrchestrationFailureError whose message carries the OrchestratorState
    // after a marker; like the extension, read the error and custom status from that state.
    const text = err instanceof Error ? err.message : String(err);
    const cut = text.indexOf(OUT_OF_PROC_DATA);
    let message = cut >= 0 ? text.slice(0, cut) : text;
    if (cut >= 0) {
      const state = JSON.parse(text.slice(cut + OUT_OF_PROC_DATA.length)) as OrchestratorState;
      instance.customStatus = state.customStatus;
      if (state.error) message = state.error;
    }
    instance.history.push(events.orchestratorCompleted(this.now), events.executionCompleted(this.now, 'Failed', message));
    this.finishExecution(instance);
    instance.runtimeStatus = 'Failed';
    instance.output = `Orchestrator function '${instance.name}' failed: ${message}`;
    if (instance.parent) {
      this.enqueue(
        this.now,
        instance.parent.instanceId,
        events.subOrchestrationFailed(this.now, instance.parent.taskId, `Orchestrator function '${instance.name}' failed: ${message}`, ''),
      );
    }
  }

  private finishExecution(instance: Instance): void {
    instance.executionSizes.push(instance.history.length);
    instance.finishedHistory = instance.history;
    instance.history = [];
  }

  /** What DTFx's RetryInterceptor does around a CallActivityWithRetry task. */
  private retryBookkeeping(instance: Instance, event: HistoryEvent): (() => void) | undefined {
    if (event.EventType === EventType.TaskFailed) {
      const taskId = event.TaskScheduledId as number;
      const retry = instance.retriesByTask.get(taskId);
      if (!retry) return undefined;
      instance.retriesByTask.delete(taskId);
      const timerId = instance.nextSequence++;
      return () => {
        const delay = retryDelay(retry.policy, retry.attempt - 1);
        const fireAt = this.now + delay;
        instance.history.push(events.timerCreated(this.now, timerId, fireAt));
        instance.retriesByTimer.set(timerId, retry);
        this.enqueue(fireAt, instance.instanceId, events.timerFired(fireAt, timerId, fireAt));
      };
    }
    if (event.EventType === EventType.TimerFired) {
      const timerId = event.TimerId as number;
      const retry = instance.retriesByTimer.get(timerId);
      if (!retry) return undefined;
      instance.retriesByTimer.delete(timerId);
      if (retry.attempt >= retry.policy.maxNumberOfAttempts) return undefined; // the SDK now fails the task
      const taskId = instance.nextSequence++;
      return () => {
        retry.attempt++;
        instance.history.push(events.taskScheduled(this.now, taskId, retry.name, retry.input));
        instance.retriesByTask.set(taskId, retry);
        this.startActivity(instance, taskId, retry.name, retry.input, retry.attempt);
      };
    }
    return undefined;
  }

  private schedule(instance: Instance, action: WireAction): void {
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const id = instance.nextSequence++;
        const name = action.functionName!;
        instance.history.push(events.taskScheduled(this.now, id, name, action.input));
        if (action.actionType === ActionType.CallActivityWithRetry) {
          instance.retriesByTask.set(id, { name, input: action.input, policy: action.retryOptions!, attempt: 1 });
        }
        this.startActivity(instance, id, name, action.input, 1);
        return;
      }
      case ActionType.CallSubOrchestrator: {
        const id = instance.nextSequence++;
        const childId = action.instanceId ?? `${instance.instanceId}:${id}`;
        instance.history.push(events.subOrchestrationCreated(this.now, id, action.functionName!, childId, action.input));
        const existing = this.instances.get(childId);
        if (existing && (existing.runtimeStatus === 'Running' || existing.runtimeStatus === 'Pending')) {
          throw new Error(`sub-orchestration ${childId} already running`);
        }
        this.createInstance(action.functionName!, childId, action.input, { instanceId: instance.instanceId, taskId: id });
        return;
      }
      case ActionType.CreateTimer: {
        const id = instance.nextSequence++;
        const fireAt = Date.parse(action.fireAt!);
        instance.history.push(events.timerCreated(this.now, id, fireAt));
        this.enqueue(fireAt, instance.instanceId, events.timerFired(fireAt, id, fireAt));
        return;
      }
      default:
        throw new Error(`the harness does not emulate action type ${action.actionType}`);
    }
  }

  /**
   * Runs the real activity handler now (virtual time stands still) and delivers its result
   * when its virtual duration has passed.
   */
  private startActivity(instance: Instance, taskId: number, name: string, input: unknown, attempt: number): void {
    // the completion's place among same-time events is fixed now, not by real-time finish order
    const seq = this.seq++;
    const running = this.runActivity(instance, taskId, name, input, attempt, seq);
    this.inflight.add(running);
    void running.finally(() => this.inflight.delete(running));
  }

  private async runActivity(instance: Instance, taskId: number, name: string, input: unknown, attempt: number, seq: number): Promise<void> {
    const start = this.now;
    let ok = true;
    let result: unknown;
    let failure: Error | undefined;
    try {
      result = await this.invokeActivity(name, input, attempt);
    } catch (err) {
      ok = false;
      failure = err instanceof Error ? err : new Error(String(err));
    }
    const end = start + (this.options.activityDuration?.(name, input, attempt) ?? 0);
    this.timeline.push({ instanceId: instance.instanceId, name, input, attempt, start, end, ok });
    this.enqueue(
      end,
      instance.instanceId,
      ok
        ? events.taskCompleted(end, taskId, result)
        : events.taskFailed(end, taskId, `Activity function '${name}' failed: ${failure!.message}`, failure!.stack ?? ''),
      seq,
    );
  }

  private async invokeActivity(name: string, input: unknown, attempt: number): Promise<unknown> {
    const override = this.options.activityOverrides?.[name];
    const wireInput = roundTrip(input);
    if (override) return roundTrip(await override(wireInput, attempt));
    const registration = this.registration(name, 'activityTrigger');
    return roundTrip(await registration.options.handler(wireInput, this.context(registration)));
  }

  private async invokeOrchestrator(instance: Instance): Promise<OrchestratorState> {
    const registration = this.registration(instance.name, 'orchestrationTrigger');
    // exactly what the extension sends: JSON, so dates are strings and undefined is gone
    const trigger = JSON.parse(
      JSON.stringify({
        history: instance.history,
        input: instance.input,
        instanceId: instance.instanceId,
        isReplaying: instance.history.some((e) => e.IsPlayed),
        parentInstanceId: instance.parent?.instanceId ?? null,
        upperSchemaVersion: EXTENSION_UPPER_SCHEMA_VERSION,
        upperSchemaVersionNew: EXTENSION_UPPER_SCHEMA_VERSION_NEW,
        longRunningTimerIntervalDuration: '3.00:00:00',
        maximumShortTimerDuration: '6.00:00:00',
        defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
      }),
    );
    const before = process.cpuUsage();
    this.orchestratorInvocations++;
    try {
      const state = await registration.options.handler(trigger, this.context(registration));
      return JSON.parse(JSON.stringify(state)) as OrchestratorState;
    } finally {
      const used = process.cpuUsage(before);
      this.replayCpuMicros += used.user + used.system;
    }
  }

  private checkDeterminism(instance: Instance, actions: WireAction[]): void {
    for (let i = 0; i < instance.seenActions.length; i++) {
      const now = actions[i] ? signature(actions[i]!) : '(none)';
      if (now !== instance.seenActions[i]) {
        throw new Error(`non-deterministic orchestration ${instance.instanceId}: action ${i} was ${instance.seenActions[i]}, replay gave ${now}`);
      }
    }
  }

  registration(name: string, triggerType?: string): Registration {
    const registration = this.app.registrations.get(name);
    if (!registration) throw new Error(`no function ${name} is registered`);
    if (triggerType && registration.options.trigger?.type !== triggerType) {
      throw new Error(`function ${name} is a ${registration.options.trigger?.type}, not a ${triggerType}`);
    }
    return registration;
  }

  context(registration: Registration): InstanceType<FunctionApp['azf']['InvocationContext']> {
    return new this.app.azf.InvocationContext({
      functionName: registration.name,
      invocationId: randomUUID(),
      logHandler: (level, ...args) => this.logs.push({ functionName: registration.name, level, message: args.map(String).join(' ') }),
      options: {
        trigger: registration.options.trigger ?? { type: registration.kind, name: registration.name },
        extraInputs: registration.options.extraInputs ?? [],
        extraOutputs: [],
      },
    });
  }

  mustGet(instanceId: string): Instance {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    return instance;
  }

  /** Attempts per activity input key, for tests that fail the first n attempts. */
  countAttempt(key: string): number {
    const n = (this.attemptsByKey.get(key) ?? 0) + 1;
    this.attemptsByKey.set(key, n);
    return n;
  }
}

interface OrchestratorState {
  isDone: boolean;
  actions: WireAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion: number;
}

function flatten(actions: WireAction[][] | undefined): WireAction[] {
  const out: WireAction[] = [];
  const walk = (list: WireAction[]) => {
    for (const action of list) {
      if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) walk(action.compoundActions ?? []);
      else out.push(action);
    }
  };
  for (const list of actions ?? []) walk(list);
  return out;
}

function signature(action: WireAction): string {
  return JSON.stringify([action.actionType, action.functionName ?? null, action.instanceId ?? null, action.input ?? null]);
}

/** DTFx RetryInterceptor: first · coefficient^n, capped at the max interval. */
export function retryDelay(policy: RetryPolicyOnWire, failedAttempt: number): number {
  const delay = policy.firstRetryIntervalInMilliseconds * Math.pow(policy.backoffCoefficient ?? 1, failedAttempt);
  const max = policy.maxRetryIntervalInMilliseconds;
  return max !== undefined && max > 0 ? Math.min(delay, max) : delay;
}

function roundTrip<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(json(value)) as T);
}
