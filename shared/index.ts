/**
 * The desk's client (`@livedesk/client`): `createDeskClient`, the stream helpers and every type a
 * program needs. Free of zod at run time; the schemas are in `@livedesk/client/schema`.
 */
export type { AppRouter } from './app-router.js';
export {
  createDeskClient,
  reconnectDelay,
  type DeskClient,
  type DeskClientOptions,
  type DeskTransport,
  type DeskTransportContext,
  type EventSourceConstructor,
  type WebSocketConstructor,
} from './client.js';
export type { DeskInput, DeskItem, DeskOutput, DeskPath, DeskPathOf } from './types.js';
export { createDeskAgent, type AgentMemoryInput, type AgentTask, type AgentWorkflowRun, type CommandHandler, type DeskAgent, type DeskAgentOptions } from './agent.js';
export { deltasLink } from './deltas-link.js';
export { createUnpacker, packedFrames } from './packed-frames.js';
export { idempotencyKeyLink, isRetryableMutationError, randomKey } from './idempotency-link.js';
export { DESK_LIMITS, deskInputBudgets, inputRefusal, inspectInput, MAX_INPUT_DEPTH, sendableInputLink, unsendableInput, URL_INPUT_CHARS } from './sendable-input.js';
export type { InputBudget, InputInspection, SendableInputOptions } from './sendable-input.js';
export { applyPatch, applyStreamMessage, type StreamViewOptions } from './stream/apply.js';
export { addStep, applyCompactPatch, type CompactPatch } from './stream/compact.js';
export { createEventWaiter, type EventWaiter } from './stream/event-waiter.js';
export { replayStream, type ReplayRange } from './replay.js';
export type { DeskAsOf, Moment, ReplayOption, ReplaySpeed, ReplayWindow } from './schema/replay.js';
export { JSON_MAX_DEPTH, JSON_MAX_SIZE } from './schema/json-bounds.js';
export type { MutationResult, Severity } from './schema/common.js';
export type { ExecuteTradeInput, Portfolio, Position, PriceTick, SetPriceInput, Side, Trade } from './schema/market.js';
export type { Candle, CandleInterval, CandlesInput, CandlesPage } from './schema/candles.js';
export type { EquityHistory, EquityHistoryInput, EquityPoint, EquityResolution, EquitySummary } from './schema/equity.js';
export { addSample, bucketStart, dayOpenOf, mergeSamples, summarizeEquity, utcDayStart, type EquitySample } from './equity-math.js';
export type {
  Agent,
  AgentStatus,
  Decision,
  RecordDecisionInput,
  SetAgentStatusInput,
  Task,
  TaskStatus,
  UpsertTaskInput,
  AgentMetadata,
  WorkflowRun,
  WorkflowStatus,
  WorkflowStepInput,
} from './schema/agents.js';
export type { MemoryAction, MemoryEvent, RecordMemoryInput } from './schema/memory.js';
export type { AgentStats, AgentView, StatusChange, TradeOutcome } from './schema/agent-stats.js';

export type { AcknowledgeAgentCommandInput, AgentCommand, AgentCommandKind, AgentCommandState, SendAgentCommandInput } from './schema/agent-commands.js';
export type {
  Alert,
  AlertRule,
  BroadcastCustomInput,
  CreateAlertRuleInput,
  DeskCustomEvent,
  DeskNotification,
  JsonValue,
  MetricSample,
  PublishSignalInput,
  PushNotificationInput,
  RaiseSystemAlertInput,
  RecordMetricsInput,
  Signal,
  SystemAlert,
} from './schema/feeds.js';
export type {
  AuditEntry,
  AuditInput,
  ClusterInstance,
  Health,
  Revocation,
  RevokeTokenInput,
  SimulatorControlInput,
  SimulatorState,
  Stats,
} from './schema/system.js';
export type { DeliveryClass, RowPatch, StreamMessage } from './schema/stream.js';
export type { InputIssue } from './input-issues.js';
export type { ClientKind, Presence, PresenceConnection } from './schema/presence.js';
