/**
 * History events as the Durable extension sends them to the JS worker (same field names and
 * EventType numbers as durable-functions' HistoryEventType). Results and inputs are JSON
 * strings, `undefined` results are encoded as JSON null, timestamps are ISO strings.
 */
export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventRaised = 15,
  ContinueAsNew = 16,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

const at = (ms: number) => new Date(ms).toISOString();

function event(type: EventType, now: number, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: at(now), ...fields };
}

export const json = (value: unknown): string => JSON.stringify(value === undefined ? null : value);

export const events = {
  orchestratorStarted: (now: number) => event(EventType.OrchestratorStarted, now),
  orchestratorCompleted: (now: number) => event(EventType.OrchestratorCompleted, now),
  executionStarted: (now: number, name: string, input: unknown) => event(EventType.ExecutionStarted, now, { Name: name, Input: json(input) }),
  executionCompleted: (now: number, status: 'Completed' | 'Failed' | 'ContinuedAsNew', result: unknown) =>
    event(EventType.ExecutionCompleted, now, { OrchestrationStatus: status, Result: json(result) }),
  executionTerminated: (now: number, reason: string) => event(EventType.ExecutionTerminated, now, { Input: json(reason) }),
  taskScheduled: (now: number, id: number, name: string, input: unknown) => event(EventType.TaskScheduled, now, { Name: name, Input: json(input) }, id),
  taskCompleted: (now: number, taskId: number, result: unknown) => event(EventType.TaskCompleted, now, { TaskScheduledId: taskId, Result: json(result) }),
  taskFailed: (now: number, taskId: number, reason: string, details: string) =>
    event(EventType.TaskFailed, now, { TaskScheduledId: taskId, Reason: reason, Details: details }),
  subOrchestrationCreated: (now: number, id: number, name: string, instanceId: string, input: unknown) =>
    event(EventType.SubOrchestrationInstanceCreated, now, { Name: name, InstanceId: instanceId, Input: json(input) }, id),
  subOrchestrationCompleted: (now: number, taskId: number, result: unknown) =>
    event(EventType.SubOrchestrationInstanceCompleted, now, { TaskScheduledId: taskId, Result: json(result) }),
  subOrchestrationFailed: (now: number, taskId: number, reason: string, details: string) =>
    event(EventType.SubOrchestrationInstanceFailed, now, { TaskScheduledId: taskId, Reason: reason, Details: details }),
  timerCreated: (now: number, id: number, fireAt: number) => event(EventType.TimerCreated, now, { FireAt: at(fireAt) }, id),
  timerFired: (now: number, timerId: number, fireAt: number) => event(EventType.TimerFired, now, { TimerId: timerId, FireAt: at(fireAt) }),
};
