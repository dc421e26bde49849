import { describe, expect, it } from 'vitest';
import { CorruptCacheError } from '../informer-cache-transactions.ts';
import { parseChunkItems } from './cache-text.ts';

describe('parseChunkItems', () => {
  it('returns the objects of a chunk, in order', () => {
    expect(parseChunkItems(['{"a":1}', '{"b":2}'], 'pods')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseChunkItems([], 'pods')).toEqual([]);
  });

  it.each([
    ['not JSON', ['{"a":'], /not valid JSON/],
    ['an array', ['[1]'], /not a JSON object/],
    ['null', ['null'], /not a JSON object/],
    ['not text', [{ a: 1 }], /not JSON text/],
    ['not an array of texts', '{"a":1}' as unknown as unknown[], /not an array of texts/],
  ])('throws CorruptCacheError for %s', (_what, items, message) => {
    expect(() => parseChunkItems(items, 'pods')).toThrow(CorruptCacheError);
    expect(() => parseChunkItems(items, 'pods')).toThrow(message);
  });
});
