import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createSignedToken, roleSchema, tokenNameSchema } from './tokens';

/**
 * Prints a signed token: `DESK_AUTH_SECRET=… npm run token -- --role operator --name alice --ttl 3600`.
 * Its id (for `system.revokeToken`) goes to stderr.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'viewer' },
    ttl: { type: 'string', default: '3600' },
    name: { type: 'string' },
    id: { type: 'string' },
  },
});
const secret = process.env.DESK_AUTH_SECRET;
const role = roleSchema.safeParse(values.role);
const name = tokenNameSchema.optional().safeParse(values.name);
const id = tokenNameSchema.optional().safeParse(values.id);
const ttl = Number(values.ttl);
if (!secret || secret.length < 32 || !role.success || !name.success || !id.success || !(ttl > 0)) {
  console.error('usage: DESK_AUTH_SECRET=<32+ chars> npm run token -- --role viewer|operator|admin --name <holder> --ttl <seconds> [--id <token id>]');
  process.exit(1);
}
const tokenId = id.data ?? `${name.data ?? role.data}-${randomBytes(5).toString('hex')}`;
console.error(`token id ${tokenId} for ${name.data ?? role.data} (${role.data}), valid ${ttl} s`);
console.log(createSignedToken(secret, { role: role.data, ttlMs: ttl * 1000, name: name.data, id: tokenId }));
