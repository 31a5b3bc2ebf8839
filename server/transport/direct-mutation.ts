import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import { core, type ZodType } from 'zod';
import type { Role } from '../auth/tokens';
import type { Context } from '../context';
import type { AuditScope } from '../persist/audit-log';
import { commandOf, runCommand, type CommandCall } from '../routers/command';
import { admitMutation, mutationScope, recordOutcome, runsGuardAndInputsOnly } from '../trpc';
import type { RequestId } from './frames';

/** What the desk transport needs to run a command mutation itself, without tRPC's call chain. */
export interface DirectMutation {
  role: Role | undefined;
  inputs: readonly ZodType[];
  call: CommandCall;
}

interface MutationDef {
  type: string;
  meta?: { role?: Role };
  inputs: ZodType[];
  middlewares: Array<{ _type?: string }>;
  resolver?: unknown;
}

const plans = new WeakMap<object, DirectMutation | null>();

/**
 * How to run a procedure directly, or null when it must go through tRPC: a mutation whose
 * resolver `command()` made and whose middlewares are the guard and its input parsers only
 * (`runsGuardAndInputsOnly`), each input a zod object (so the parsed input is one, as the
 * resolver needs). Decided once per procedure.
 */
export function directMutationOf(procedure: { _def: object } | undefined): DirectMutation | null {
  if (procedure === undefined) return null;
  let plan = plans.get(procedure._def);
  if (plan === undefined) {
    plan = planOf(procedure._def as MutationDef);
    plans.set(procedure._def, plan);
  }
  return plan;
}

function planOf(def: MutationDef): DirectMutation | null {
  if (def.type !== 'mutation' || !Array.isArray(def.middlewares) || !Array.isArray(def.inputs) || !runsGuardAndInputsOnly(def)) return null;
  const call = commandOf(def.resolver);
  if (call === undefined || !def.inputs.every(parsesToObject)) return null;
  return { role: def.meta?.role, inputs: def.inputs, call };
}

/** A zod object, or one with a default: whatever it parses successfully is an object. */
function parsesToObject(schema: ZodType): boolean {
  const def = (schema as { _zod?: { def?: { type?: string; innerType?: ZodType } } })._zod?.def;
  if (def?.type === 'object') return true;
  return def?.type === 'default' && def.innerType !== undefined && parsesToObject(def.innerType);
}

/** Where a direct mutation's outcome goes: the connection that received it. */
export interface MutationOutlet {
  /** Accepted and durable: `data` is the answer (tRPC's `result.data`). */
  mutated(id: RequestId, jsonrpc: '2.0' | undefined, data: unknown, path: string, input: unknown): void;
  /** Refused or failed: `error` is what tRPC's procedure call would have thrown. */
  mutationFailed(id: RequestId, jsonrpc: '2.0' | undefined, error: TRPCError, path: string, input: unknown): void;
}

/**
 * Runs a command mutation as its middlewares and resolver would, in their order, without tRPC's
 * chain (a promise and a copy of the call's options per hop): the audit scope from the raw input,
 * the caller's token and role and the connection's mutation budget (`admitMutation`, a precheck's
 * prepaid token included), each input parser (BAD_REQUEST with the zod error as its cause), then
 * the command with its idempotency key and the audit scope, written in its transaction. Every
 * outcome is counted and audited (`recordOutcome`) before the answer goes to `outlet`.
 */
export function runDirectMutation(
  ctx: Context,
  plan: DirectMutation,
  path: string,
  input: unknown,
  outlet: MutationOutlet,
  id: RequestId,
  jsonrpc: '2.0' | undefined,
): void {
  const scope = mutationScope(ctx, path, input);
  let pending: Promise<unknown>;
  try {
    admitMutation(ctx, plan.role);
    const parsed = parseInputs(plan.inputs, input);
    pending = parsed instanceof Promise ? parsed.then((value) => execute(ctx, plan, value, scope)) : execute(ctx, plan, parsed, scope);
  } catch (cause) {
    failed(ctx, path, input, scope, outlet, id, jsonrpc, cause);
    return;
  }
  // Inline callbacks over module functions: a named closure per call costs a name definition each where names are kept.
  pending.then(
    (data) => succeeded(ctx, path, input, scope, outlet, id, jsonrpc, data),
    (cause) => failed(ctx, path, input, scope, outlet, id, jsonrpc, cause),
  );
}

function succeeded(ctx: Context, path: string, input: unknown, scope: AuditScope, outlet: MutationOutlet, id: RequestId, jsonrpc: '2.0' | undefined, data: unknown): void {
  try {
    recordOutcome(ctx, path, input, scope, 'OK', data);
  } catch (cause) {
    // As through tRPC: what throws after the call is that call's error.
    outlet.mutationFailed(id, jsonrpc, getTRPCErrorFromUnknown(cause), path, input);
    return;
  }
  outlet.mutated(id, jsonrpc, data, path, input);
}

function failed(ctx: Context, path: string, input: unknown, scope: AuditScope, outlet: MutationOutlet, id: RequestId, jsonrpc: '2.0' | undefined, cause: unknown): void {
  let error = getTRPCErrorFromUnknown(cause);
  try {
    recordOutcome(ctx, path, input, scope, error.code);
  } catch (thrown) {
    // As through tRPC, where the guard recording it would throw in its stead; never a rejection nobody handles.
    error = getTRPCErrorFromUnknown(thrown);
  }
  outlet.mutationFailed(id, jsonrpc, error, path, input);
}

function execute(ctx: Context, plan: DirectMutation, parsed: object, scope: AuditScope): Promise<unknown> {
  return runCommand(ctx, plan.call, parsed, scope);
}

/**
 * The input as the input middlewares make it, each parser's output merged over the last's; a
 * promise only when a schema needs an asynchronous parse. Throws BAD_REQUEST as they do.
 */
export function parseInputs(inputs: readonly ZodType[], raw: unknown): object | Promise<object> {
  let merged: object = {};
  for (let i = 0; i < inputs.length; i++) {
    let parsed: unknown;
    try {
      const result = inputs[i]!.safeParse(raw);
      if (!result.success) throw result.error;
      parsed = result.data;
    } catch (cause) {
      // zod's refusal to parse synchronously a schema with an asynchronous part.
      if (cause instanceof core.$ZodAsyncError) return parseInputsAsync(inputs, raw);
      throw new TRPCError({ code: 'BAD_REQUEST', cause });
    }
    merged = i === 0 ? (parsed as object) : { ...merged, ...(parsed as object) };
  }
  return merged;
}

async function parseInputsAsync(inputs: readonly ZodType[], raw: unknown): Promise<object> {
  let merged: object = {};
  for (let i = 0; i < inputs.length; i++) {
    let parsed: unknown;
    try {
      parsed = await inputs[i]!.parseAsync(raw);
    } catch (cause) {
      throw new TRPCError({ code: 'BAD_REQUEST', cause });
    }
    merged = i === 0 ? (parsed as object) : { ...merged, ...(parsed as object) };
  }
  return merged;
}
