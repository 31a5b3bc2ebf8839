import { z } from 'zod';
import { roleSchema, tokenNameSchema, type Role } from './tokens';

/** One entry of `DESK_TOKENS`. */
export interface NamedToken {
  name: string;
  role: Role;
  token: string;
}

const tokenSchema = z.string().min(16, 'the token must be at least 16 characters').max(256, 'the token must be at most 256 characters');

/**
 * `DESK_TOKENS`: comma-separated `name:role:token` entries, e.g.
 * `alice:operator:3kR…,grafana:viewer:Qm9…`. Names and tokens must be unique. A bad entry is
 * reported by its position and name, never by its token.
 */
export const namedTokensSchema = z.string().transform((value, ctx): NamedToken[] => {
  const entries: NamedToken[] = [];
  const names = new Set<string>();
  const tokens = new Set<string>();
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  items.forEach((item, index) => {
    const first = item.indexOf(':');
    const second = first < 0 ? -1 : item.indexOf(':', first + 1);
    const where = `entry ${index + 1}${first > 0 ? ` (${item.slice(0, Math.min(first, 64))})` : ''}`;
    if (second < 0) {
      ctx.addIssue({ code: 'custom', message: `${where}: expected name:role:token` });
      return;
    }
    const name = tokenNameSchema.safeParse(item.slice(0, first));
    const role = roleSchema.safeParse(item.slice(first + 1, second));
    const token = tokenSchema.safeParse(item.slice(second + 1));
    const problems = [
      ...(name.success ? [] : [name.error.issues[0]!.message]),
      ...(role.success ? [] : ['the role must be viewer, operator or admin']),
      ...(token.success ? [] : [token.error.issues[0]!.message]),
    ];
    if (name.success && names.has(name.data)) problems.push(`the name ${name.data} is used twice`);
    if (token.success && tokens.has(token.data)) problems.push('the same token is listed twice');
    if (problems.length > 0 || !name.success || !role.success || !token.success) {
      ctx.addIssue({ code: 'custom', message: `${where}: ${problems.join('; ')}` });
      return;
    }
    names.add(name.data);
    tokens.add(token.data);
    entries.push({ name: name.data, role: role.data, token: token.data });
  });
  return entries;
});
