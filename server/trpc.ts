import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { endsOnExpiry, untilExpiry } from './auth/expiry';
import { hasRole, refusal, type Role } from './auth/tokens';
import { inputIssues } from '../shared/input-issues';
import type { Context } from './context';
import { eventIdOf, type AuditScope } from './persist/audit-log';

/** Every procedure declares the role it needs; the role middleware and the tests read it. */
export interface Meta {
  role: Role;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // tRPC puts stack traces (absolute paths included) in every error unless NODE_ENV=production;
    // only a developer's own run (`npm run dev`) should show them.
    isDev: process.env.NODE_ENV === 'development',
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          // Field-level messages a form can show next to its inputs; typed by field name for clients
          // (an input's fields are not known here).
          zodError: cause instanceof ZodError ? z.flattenError(cause as ZodError<Record<string, unknown>>) : null,
          // The same with each issue's full path (the flattened form names only the first key, so a
          // form cannot tell `samples.0.value` from `samples.0.name`); capped, as a batch can raise thousands.
          zodIssues: cause instanceof ZodError ? inputIssues(cause.issues) : null,
        },
      };
    },
  });

export const router = t.router;

/** A refusal decided from the context alone, before a procedure runs. */
export interface Refusal {
  code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS';
  message: string;
}

/**
 * UNAUTHORIZED unless the caller's token is valid now (not expired, not revoked: checked on every
 * call, not only when the connection opened), FORBIDDEN unless its role includes `required`;
 * counted, and null when the call may go on.
 */
function roleRefusal(ctx: Context, required: Role): Refusal | null {
  const caller = ctx.caller;
  if (!caller) {
    ctx.rejected.unauthorized++;
    return { code: 'UNAUTHORIZED', message: 'a valid token is required: connectionParams.token or Authorization: Bearer' };
  }
  const refused = refusal(caller, Date.now(), ctx.isRevoked);
  if (refused !== null) {
    ctx.rejected.unauthorized++;
    return { code: 'UNAUTHORIZED', message: refused };
  }
  if (!hasRole(caller.role, required)) {
    ctx.rejected.forbidden++;
    return { code: 'FORBIDDEN', message: `${required} role required; this token is ${caller.role}` };
  }
  return null;
}

/** Throws what `roleRefusal` refuses. */
export function assertRole(ctx: Context, required: Role | undefined): void {
  if (!required) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'procedure declares no role' });
  const refusal = roleRefusal(ctx, required);
  if (refusal) throw new TRPCError(refusal);
}

function mutationRateMessage(ctx: Context): string {
  return `more than ${ctx.limits.mutationsPerSecond} mutations/s (burst ${ctx.limits.mutationBurst}) on this connection`;
}

/**
 * What the role and mutation-rate middlewares would refuse, decided without running them (and
 * counted and audited as they would), so a transport can answer a flood of refused calls with a
 * prepared frame. A mutation let through has its rate token taken here already (`prepaid`), so
 * the calls of one batch cannot all pass this check before any of them reaches the middleware.
 * Null when the call may go on; the middlewares still check everything else.
 */
export function earlyRefusal(ctx: Context, type: string, path: string, required: Role | undefined, input?: unknown): Refusal | null {
  if (!required) return null;
  let refusal = roleRefusal(ctx, required);
  if (!refusal && type === 'mutation') {
    if (ctx.connection.mutations.take()) ctx.connection.prepaid = (ctx.connection.prepaid ?? 0) + 1;
    else {
      ctx.rejected.mutations++;
      refusal = { code: 'TOO_MANY_REQUESTS', message: mutationRateMessage(ctx) };
    }
  }
  // Counted and audited as the middleware would (refusals are batched and folded: a flood of these stays cheap).
  if (refusal && type === 'mutation') recordOutcome(ctx, path, input, mutationScope(ctx, path, input), refusal.code);
  return refusal;
}

/** Who is calling, from where, what: the part of an audit entry known before the call runs. */
function auditScope(ctx: Context, path: string, input: unknown) {
  const caller = ctx.caller;
  return { ts: Date.now(), who: caller?.id ?? '-', name: caller?.name ?? null, role: caller?.role ?? null, address: ctx.connection.ip, path, input };
}

/** Lets the caller through when its token is valid now and its role includes the procedure's. */
async function requireRole({ ctx, meta, type, next }: { ctx: Context; meta: Meta | undefined; type: string; next: () => Promise<any> }) {
  assertRole(ctx, meta?.role);
  const result = await next();
  // A stream above viewing ends when its token expires (the desk transport's direct streams do the same).
  if (type === 'subscription' && result.ok && endsOnExpiry(ctx.caller, meta?.role) && isAsyncIterable(result.data)) {
    return { ...result, data: untilExpiry(result.data, ctx.caller.expiresAt, meta!.role) };
  }
  return result;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Spends one token of the connection's mutation bucket, or throws TOO_MANY_REQUESTS. */
function spendMutation(ctx: Context): void {
  const connection = ctx.connection;
  if (connection.prepaid !== undefined && connection.prepaid > 0) connection.prepaid--;
  else if (!connection.mutations.take()) {
    ctx.rejected.mutations++;
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: mutationRateMessage(ctx) });
  }
}

/**
 * Where a mutation's audit scope rides from the guard to its resolver: a symbol key of the input
 * (tRPC merges what a middleware passes as `input` into the parsed input), which `takeAuditScope`
 * removes before the input goes anywhere else.
 */
const AUDIT_SCOPE = Symbol('livedesk.auditScope');

/** Splits a mutation's input into the input proper and the audit scope the guard put in it. */
export function takeAuditScope<I extends object>(input: I): { input: I; audit: AuditScope | undefined } {
  const { [AUDIT_SCOPE]: audit, ...rest } = input as I & { [AUDIT_SCOPE]?: AuditScope };
  return { input: rest as I, audit };
}

/** The start of a mutation's audit entry: who is calling, from where, with what raw input. */
export function mutationScope(ctx: Context, path: string, input: unknown): AuditScope {
  return { record: auditScope(ctx, path, input), written: false };
}

/** Lets a mutation run or throws: its caller's token and role now (`assertRole`), then a token of its connection's mutation budget. */
export function admitMutation(ctx: Context, required: Role | undefined): void {
  assertRole(ctx, required);
  spendMutation(ctx);
}

/**
 * Counts and audits a mutation's outcome (`code` 'OK' with its answer `data`, or the error's code).
 * An accepted one whose entry its transaction wrote already (`scope.written`) is not written again.
 */
export function recordOutcome(ctx: Context, path: string, input: unknown, scope: AuditScope, code: string, data?: unknown): void {
  ctx.onMutation(path, code);
  if (code === 'OK') {
    // Most often written in the mutation's transaction already: then nothing is built.
    if (!scope.written) ctx.audit.accepted({ ...scope.record, code, eventId: eventIdOf(data) });
    return;
  }
  // A rate-limited call keeps no input: refusing it must stay cheap.
  ctx.audit.refused({ ...scope.record, input: code === 'TOO_MANY_REQUESTS' ? undefined : input, code, eventId: null });
}

/**
 * Counts and audits a mutation's outcome, refused ones included: `run` checks the caller and its
 * budget, then calls the procedure with the audit scope. A refusal it throws is audited and thrown on.
 */
async function recordMutation(opts: { ctx: Context; path: string; getRawInput: () => Promise<unknown> }, run: (carrier: object) => Promise<any>) {
  const { ctx, path } = opts;
  const input = await opts.getRawInput().catch(() => undefined);
  // An accepted mutation's entry is written inside the mutation's own transaction when it has one,
  // from this scope, handed to the command executor with the mutation (see `takeAuditScope`).
  const scope = mutationScope(ctx, path, input);
  let outcome: { result: any } | undefined;
  let refused: TRPCError | undefined;
  try {
    outcome = { result: await run({ [AUDIT_SCOPE]: scope }) };
  } catch (cause) {
    refused = getTRPCErrorFromUnknown(cause);
  }
  const result = outcome?.result ?? { ok: false, error: refused! };
  if (result.ok) recordOutcome(ctx, path, input, scope, 'OK', result.data);
  else recordOutcome(ctx, path, input, scope, result.error.code);
  if (refused) throw refused;
  return result;
}

/**
 * The one middleware of every procedure: a mutation is audited whatever its outcome, then checked
 * like every call (`requireRole`) and charged to its connection's mutation budget. One middleware
 * rather than three, since each hop copies the whole call's options (a measurable share of a
 * mutation's CPU).
 */
function guard(opts: {
  ctx: Context;
  meta: Meta | undefined;
  type: string;
  path: string;
  getRawInput: () => Promise<unknown>;
  next: (next?: { input: unknown }) => Promise<any>;
}) {
  if (opts.type !== 'mutation') return requireRole(opts);
  return recordMutation(opts, (carrier) => {
    admitMutation(opts.ctx, opts.meta?.role);
    return opts.next({ input: carrier });
  });
}

/**
 * True when a procedure's middlewares are the guard, then one parser per input, then its resolver
 * and nothing else: what a transport running a mutation itself does in their place (see
 * server/transport/direct-mutation.ts). A procedure with any other middleware goes through tRPC.
 */
export function runsGuardAndInputsOnly(def: { middlewares: ReadonlyArray<{ _type?: string }>; inputs: readonly unknown[] }): boolean {
  const { middlewares, inputs } = def;
  if (middlewares.length !== inputs.length + 2 || middlewares[0] !== (guard as unknown)) return false;
  for (let i = 1; i <= inputs.length; i++) if (middlewares[i]!._type !== 'input') return false;
  return middlewares[inputs.length + 1]!._type === undefined;
}

const guarded = t.procedure.use(guard);

/** Subscriptions and queries of the desk's live state. */
export const viewerProcedure = guarded.meta({ role: 'viewer' });
/** Mutations and the simulator. */
export const operatorProcedure = guarded.meta({ role: 'operator' });
/** Statistics, metrics and configuration. */
export const adminProcedure = guarded.meta({ role: 'admin' });

const idempotencyKey = z.string().min(1).max(128).optional();
const idempotency = z.object({ idempotencyKey }).default({});

/** `S` with the optional `idempotencyKey`, as `safeExtend` makes it. */
type WithKey<S extends z.ZodObject> = z.ZodObject<z.util.Extend<S['shape'], { idempotencyKey: typeof idempotencyKey }>, S['_zod']['config']>;

/**
 * A procedure builder whose `.input(schema)` is `schema` with the optional `idempotencyKey` added,
 * parsed in one pass: one input middleware per call rather than two, since each hop of tRPC's
 * middleware chain copies the whole call's options (a measurable share of a mutation's CPU).
 * Without `.input`, the mutation's input is the key alone.
 */
function idempotent<B extends typeof operatorProcedure>(base: B) {
  const keyOnly = base.input(idempotency);
  return {
    // Cast: on a generic `S`, zod types `safeExtend` by the constraint's shape, which would lose every field's type.
    input: <S extends z.ZodObject>(schema: S) => base.input(schema.safeExtend({ idempotencyKey }) as unknown as WithKey<S>),
    mutation: keyOnly.mutation.bind(keyOnly) as typeof keyOnly.mutation,
  };
}

/**
 * Every mutation takes an optional `idempotencyKey`: a retry with the same key returns the first
 * call's result and applies nothing twice.
 */
export const mutationProcedure = idempotent(operatorProcedure);
/** Mutations of the desk's access (revoking tokens), with an optional `idempotencyKey` too. */
export const adminMutationProcedure = idempotent(adminProcedure);
