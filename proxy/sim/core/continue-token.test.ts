import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { SimStatusError } from './status.ts';

describe('continue tokens', () => {
  it('round-trip the list RV, the start key and the issue time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 2 ** 40 }), fc.string(), fc.nat(), (rv, start, issuedAt) => {
        expect(decodeContinue(encodeContinue({ rv, start, issuedAt }))).toEqual({ rv, start, issuedAt });
      }),
    );
  });

  it('are URL-safe', () => {
    const token = encodeContinue({ rv: 12, start: 'ns/pod-ü\u0000', issuedAt: 5 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each(['', 'not-base64!', 'e30', encodeContinue({ rv: 1, start: 'a', issuedAt: 1 }).slice(0, 10)])(
    'reject %j with 400 "continue key is not valid"',
    (text) => {
      try {
        decodeContinue(text);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(SimStatusError);
        expect((err as SimStatusError).code).toBe(400);
        expect((err as SimStatusError).message).toContain('continue key is not valid');
      }
    },
  );
});
