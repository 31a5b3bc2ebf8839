import { describe, expect, it } from 'vitest';
import { createAgentLiveness } from './liveness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createAgentLiveness', () => {
  function setup(claimed = new Set<string>()) {
    const marked: string[] = [];
    const liveness = createAgentLiveness({ graceMs: 40, isClaimed: (id) => claimed.has(id), markOffline: async (id) => void marked.push(id) });
    return { liveness, marked, claimed };
  }

  it('marks an agent offline once its grace period has passed with no claim', async () => {
    const { liveness, marked } = setup();
    liveness.released('a');
    liveness.released('a'); // a second release does not restart or double the wait
    expect(liveness.pending).toBe(1);
    await sleep(15);
    expect(marked).toEqual([]);
    await sleep(80);
    expect(marked).toEqual(['a']);
    expect(liveness.pending).toBe(0);
  });

  it('does nothing when the agent is claimed again within the grace period, here or elsewhere', async () => {
    const { liveness, marked, claimed } = setup();
    liveness.released('back');
    liveness.claimed('back');
    liveness.released('elsewhere');
    claimed.add('elsewhere'); // another instance holds it when the period ends
    await sleep(100);
    expect(marked).toEqual([]);
  });

  it('marks nothing after stop', async () => {
    const { liveness, marked } = setup();
    liveness.released('a');
    liveness.stop();
    liveness.released('b');
    await sleep(100);
    expect(marked).toEqual([]);
  });
});
