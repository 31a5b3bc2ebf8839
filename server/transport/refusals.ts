import { getErrorShape, TRPCError, type AnyRouter, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { RequestId } from './frames';

const MARK = '\u0000message\u0000';
const MARK_JSON = JSON.stringify(MARK).slice(1, -1);

/**
 * Error frames for refusals decided before a call runs (a malformed frame, a limit, a missing
 * token): each code's error shape goes through the router's `errorFormatter` once, and a refusal
 * then costs a string concatenation instead of an error object, a stack trace and a formatter call,
 * so a flood of junk frames or refused calls is answered for about what it costs to read it.
 */
export class Refusals {
  private readonly templates = new Map<TRPC_ERROR_CODE_KEY, string[]>();

  constructor(private readonly router: AnyRouter) {}

  /** `{"id":<id>,["jsonrpc":"2.0",]"error":<shape>}` for `code` with `message`. */
  frame(id: RequestId | null, jsonrpc: unknown, code: TRPC_ERROR_CODE_KEY, message: string): string {
    const rpc = jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
    return `{"id":${id === null ? 'null' : JSON.stringify(id)},${rpc}"error":${this.template(code).join(JSON.stringify(message).slice(1, -1))}}`;
  }

  /** The formatted shape of `code`, split where the message goes. */
  private template(code: TRPC_ERROR_CODE_KEY): string[] {
    let parts = this.templates.get(code);
    if (parts === undefined) {
      const shape = getErrorShape({
        config: this.router._def._config,
        error: new TRPCError({ code, message: MARK }),
        type: 'unknown',
        path: undefined,
        input: undefined,
        ctx: undefined,
      }) as { data?: { stack?: unknown } };
      // The stack would be this cache's, not the request's.
      if (shape.data) delete shape.data.stack;
      parts = JSON.stringify(shape).split(MARK_JSON);
      this.templates.set(code, parts);
    }
    return parts;
  }
}
