import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUnpacker } from '../../shared/packed-frames';
import { dataFrame, dataFrameHead } from './frames';
import { PackedFrames } from './packed-frames';

const messageArb = fc.oneof(
  fc.constant({ type: 'changes', upserts: [], removes: [], compact: [['pos-1', -4, 0.21, -5, 0]] }),
  fc.record({ type: fc.constant('changes'), upserts: fc.array(fc.record({ id: fc.string({ maxLength: 4 }), n: fc.double({ noNaN: true, noDefaultInfinity: true }) }), { maxLength: 2 }), removes: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }) }),
  fc.record({ type: fc.constant('append'), items: fc.array(fc.record({ id: fc.string({ maxLength: 4 }), text: fc.string({ maxLength: 8 }) }), { maxLength: 2 }) }),
);

describe('packed frames', () => {
  it("unpack into tRPC's data frames byte for byte: the same request ids, event ids and messages, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ requestId: fc.oneof(fc.nat(20), fc.string({ minLength: 1, maxLength: 3 })), gap: fc.nat(1000), message: messageArb }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.nat(2 ** 50),
        (flushes, firstId) => {
          const packed = new PackedFrames();
          const unpack = createUnpacker();
          let id = firstId;
          for (const flush of flushes) {
            const want: string[] = [];
            for (const { requestId, gap, message } of flush) {
              id += gap;
              const json = JSON.stringify(message);
              // What the connection would have been sent unpacked.
              want.push(dataFrame(dataFrameHead(requestId), String(id), json));
              packed.add(requestId, { lastId: id, json });
            }
            const frame = packed.take()!;
            expect(unpack(frame)).toEqual(want);
            expect(packed.take()).toBeNull();
          }
        },
      ),
      { numRuns: 100, seed: 17 },
    );
  });

  it("pass tRPC's own frames through, and are shorter than them", () => {
    const unpack = createUnpacker();
    expect(unpack('{"id":1,"result":{"type":"started"}}')).toBeNull();
    expect(unpack('PONG')).toBeNull();
    const packed = new PackedFrames();
    const json = '{"type":"changes","upserts":[],"removes":[],"compact":[["portfolio",-3,0.32139555,-4,0,-7,125]]}';
    packed.add(2, { lastId: 1796145508084580, json });
    packed.add(1, { lastId: 1796145508084580, json });
    const frame = packed.take()!;
    expect(frame).toBe('[2,1796145508084580,[["portfolio",-3,0.32139555,-4,0,-7,125]],1,0,[["portfolio",-3,0.32139555,-4,0,-7,125]]]');
    expect(unpack(frame)!.map((f) => JSON.parse(f).result.data.data)).toEqual([JSON.parse(json), JSON.parse(json)]);
  });
});
