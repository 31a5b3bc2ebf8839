import { parseArgs } from 'node:util';
import { createSignedToken, roleSchema } from './tokens';

/** Prints a signed token: `DESK_AUTH_SECRET=… npm run token -- --role operator --ttl 3600`. */
const { values } = parseArgs({ options: { role: { type: 'string', default: 'viewer' }, ttl: { type: 'string', default: '3600' } } });
const secret = process.env.DESK_AUTH_SECRET;
const role = roleSchema.safeParse(values.role);
const ttl = Number(values.ttl);
if (!secret || secret.length < 32 || !role.success || !(ttl > 0)) {
  console.error('usage: DESK_AUTH_SECRET=<32+ chars> npm run token -- --role viewer|operator|admin --ttl <seconds>');
  process.exit(1);
}
console.log(createSignedToken(secret, role.data, ttl * 1000));
