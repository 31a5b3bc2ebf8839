import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError, type AnyTRPCRouter } from '@trpc/server';
import { getHTTPStatusCodeFromError, parseConnectionParamsFromString } from '@trpc/server/http';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { ZodType } from 'zod';
import type { Context } from '../context';
import { requestUrl } from '../net/request-target';
import { deskStreamOf, subscriptionRefusal } from '../routers/stream-procedure';
import { assertRole, type Meta } from '../trpc';

type Procedure = { _def: { type: string; meta?: Meta; inputs: ZodType[] } };
type CreateContext = (opts: { req: IncomingMessage; res: ServerResponse; info: { connectionParams: Record<string, string | undefined> | null; type: string } }) => Context;

/**
 * Refuses an SSE subscription with a real HTTP status before its stream starts. tRPC's adapter runs
 * the procedure only once the response is committed, so a missing token, a too-low role, a bad
 * input or one subscription too many came back as `200 OK` with an error event; here they are `401`,
 * `403`, `400` or `429` with tRPC's error shape, and nothing is opened. Whatever this check does not
 * recognise is left to tRPC, which gets the context made here (`contextOf`) rather than a second one:
 * making a context over HTTP spends from the caller's request budget.
 */
export function createSseRefusal(router: AnyTRPCRouter, createContext: CreateContext) {
  const procedures = router._def.procedures as Record<string, Procedure | undefined>;
  const config = router._def._config;
  const made = new WeakMap<IncomingMessage, Context>();

  function refuse(res: ServerResponse, error: TRPCError, path: string, ctx: Context | undefined): true {
    const shape = getErrorShape({ config, error, type: 'subscription', path, input: undefined, ctx });
    res.writeHead(getHTTPStatusCodeFromError(error), { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: shape }));
    return true;
  }

  /** True when it answered the request (a refusal); false to let tRPC serve it. */
  function refused(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET') return false;
    const url = requestUrl(req);
    if (url === null || url.searchParams.get('batch') === '1') return false;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname.slice('/trpc/'.length));
    } catch {
      return false;
    }
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (procedure?._def.type !== 'subscription') return false;

    let connectionParams: Record<string, string | undefined> | null;
    let input: unknown;
    try {
      const params = url.searchParams.get('connectionParams');
      connectionParams = params === null ? null : parseConnectionParamsFromString(params);
    } catch (cause) {
      return refuse(res, cause instanceof TRPCError ? cause : new TRPCError({ code: 'BAD_REQUEST', message: 'connectionParams is not valid JSON', cause }), path, undefined);
    }
    try {
      const raw = url.searchParams.get('input');
      input = raw ? JSON.parse(raw) : undefined;
    } catch (cause) {
      return refuse(res, new TRPCError({ code: 'BAD_REQUEST', message: '?input= is not valid JSON', cause }), path, undefined);
    }
    let ctx: Context | undefined;
    try {
      ctx = createContext({ req, res, info: { connectionParams, type: 'subscription' } });
      assertRole(ctx, procedure._def.meta?.role);
      const limited = deskStreamOf(procedure) ? subscriptionRefusal(ctx) : null;
      if (limited) {
        ctx.rejected.subscriptions++;
        return refuse(res, limited, path, ctx);
      }
    } catch (cause) {
      // Anything else is tRPC's to report, as it would without this check.
      return cause instanceof TRPCError ? refuse(res, cause, path, ctx) : false;
    }
    made.set(req, ctx);
    // The stream resumes from Last-Event-ID as tRPC merges it into the input.
    const lastEventId = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId') ?? url.searchParams.get('Last-Event-Id');
    if (lastEventId) input = typeof input === 'object' && input !== null ? { ...input, lastEventId } : (input ?? { lastEventId });
    for (const schema of procedure._def.inputs) {
      let parsed;
      try {
        parsed = schema.safeParse(input);
      } catch {
        return false; // an asynchronous schema: tRPC validates it in the stream
      }
      if (!parsed.success) {
        made.delete(req);
        return refuse(res, new TRPCError({ code: 'BAD_REQUEST', message: parsed.error.issues[0]?.message ?? 'invalid input', cause: parsed.error }), path, ctx);
      }
    }
    return false;
  }

  return {
    refused,
    /** The context this check made for a request it let through, once; tRPC's createContext uses it. */
    contextOf(req: IncomingMessage): Context | undefined {
      const ctx = made.get(req);
      made.delete(req);
      return ctx;
    },
  };
}
