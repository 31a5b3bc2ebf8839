import { getErrorShape, TRPCError, type AnyRouter, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { RequestId } from './frames';

const MARK = '\u0000message\u0000';
const PATH_MARK = '\u0000path\u0000';
const MARK_JSON = JSON.stringify(MARK).slice(1, -1);
const PATH_MARK_JSON = JSON.stringify(PATH_MARK).slice(1, -1);

/** A formatted shape in pieces: text, then where the message (0) or the path (1) goes, and so on. */
type Template = Array<string | 0 | 1>;

/**
 * Error frames for refusals decided before a call runs (a malformed frame, a limit, a missing
 * token): each code's error shape goes through the router's `errorFormatter` once (with and
 * without a path), and a refusal then costs a string concatenation instead of an error object, a
 * stack trace and a formatter call, so a flood of junk frames or refused calls is answered for
 * about what it costs to read it.
 */
export class Refusals {
  private readonly templates = new Map<string, Template>();

  constructor(private readonly router: AnyRouter) {}

  /**
   * `{"id":<id>,["jsonrpc":"2.0",]"error":<shape>}` for `code` with `message`; with `path` (the
   * procedure the call named), the shape names it as the procedure call's own error would.
   */
  frame(id: RequestId | null, jsonrpc: unknown, code: TRPC_ERROR_CODE_KEY, message: string, path?: string): string {
    const rpc = jsonrpc === undefined ? '' : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
    return `{"id":${id === null ? 'null' : JSON.stringify(id)},${rpc}"error":${this.shape(code, message, path)}}`;
  }

  /** The formatted error shape (JSON) of `code` with `message` and, if given, the procedure's `path`. */
  shape(code: TRPC_ERROR_CODE_KEY, message: string, path?: string): string {
    const text = JSON.stringify(message).slice(1, -1);
    const named = path === undefined ? '' : JSON.stringify(path).slice(1, -1);
    let shape = '';
    for (const part of this.template(code, path !== undefined)) shape += part === 0 ? text : part === 1 ? named : part;
    return shape;
  }

  /** The formatted shape of `code`, in pieces around the message and (`withPath`) the path. */
  private template(code: TRPC_ERROR_CODE_KEY, withPath: boolean): Template {
    const key = withPath ? `${code}/path` : code;
    let parts = this.templates.get(key);
    if (parts === undefined) {
      const shape = getErrorShape({
        config: this.router._def._config,
        error: new TRPCError({ code, message: MARK }),
        type: 'unknown',
        path: withPath ? PATH_MARK : undefined,
        input: undefined,
        ctx: undefined,
      }) as { data?: { stack?: unknown } };
      // The stack would be this cache's, not the request's.
      if (shape.data) delete shape.data.stack;
      parts = [];
      for (const [i, around] of JSON.stringify(shape).split(MARK_JSON).entries()) {
        if (i > 0) parts.push(0);
        for (const [j, piece] of around.split(PATH_MARK_JSON).entries()) {
          if (j > 0) parts.push(1);
          parts.push(piece);
        }
      }
      this.templates.set(key, parts);
    }
    return parts;
  }
}
