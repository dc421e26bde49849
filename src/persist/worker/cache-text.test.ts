import { describe, expect, it } from 'vitest';
import { CorruptCacheError } from '../informer-cache-transactions.ts';
import { parseChunkText } from './cache-text.ts';

describe('parseChunkText', () => {
  it('returns the objects of a chunk', () => {
    expect(parseChunkText('[{"a":1},{"b":2}]', 'pods')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it.each([
    ['not JSON', '[{"a":', /not valid JSON/],
    ['not an array', '{"a":1}', /not a JSON array/],
    ['an array member', '[{"a":1},[1]]', /not a JSON object/],
    ['a null member', '[null]', /not a JSON object/],
  ])('throws CorruptCacheError for %s', (_what, text, message) => {
    expect(() => parseChunkText(text, 'pods')).toThrow(CorruptCacheError);
    expect(() => parseChunkText(text, 'pods')).toThrow(message);
  });
});
