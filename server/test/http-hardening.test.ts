import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from './harness';

const ADMIN = 'admin-token-0123456789';
const VIEWER = 'viewer-token-0123456789';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, auth: { tokens: { [ADMIN]: 'admin', [VIEWER]: 'viewer' } } });
});
afterAll(() => desk.close());

describe('Authorization header', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr'])('accepts the scheme spelled %s, on the API and /metrics', async (scheme) => {
    const metrics = await fetch(`${desk.app.url}/metrics`, { headers: { authorization: `${scheme} ${ADMIN}` } });
    expect(metrics.status).toBe(200);
    await metrics.arrayBuffer();
    const stats = await fetch(`${desk.app.url}/trpc/system.stats`, { headers: { authorization: `${scheme} ${ADMIN}` } });
    expect(stats.status).toBe(200);
    await stats.arrayBuffer();
  });

  it.each(['Basic x', `Bearer${ADMIN}`, ADMIN, `Bearer ${ADMIN} extra`])('refuses %s', async (header) => {
    const res = await fetch(`${desk.app.url}/metrics`, { headers: { authorization: header } });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
  });
});
