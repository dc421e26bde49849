import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound, SortedKeys } from './sorted-keys.ts';

describe('SortedKeys', () => {
  it('keeps keys in byte order across bulk and single inserts and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.string({ minLength: 1, maxLength: 4 })), { maxLength: 300 }),
        (ops) => {
          const keys = new SortedKeys();
          const model = new Set<string>();
          for (const [add, key] of ops) {
            if (add && !model.has(key)) {
              keys.add(key);
              model.add(key);
            } else if (!add && model.has(key)) {
              keys.delete(key);
              model.delete(key);
            }
          }
          const expected = [...model].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(keys.view()).toEqual(expected);
          expect(keys.size).toBe(expected.length);
        },
      ),
    );
  });

  it('merges a large batch of pending keys', () => {
    const keys = new SortedKeys();
    for (let i = 999; i >= 0; i--) keys.add(`k${String(i).padStart(4, '0')}`);
    const view = keys.view();
    expect(view.length).toBe(1000);
    expect(view[0]).toBe('k0000');
    expect(view[999]).toBe('k0999');
  });

  it('orders "ns-b/x" before "ns/x" as etcd does ("-" < "/")', () => {
    const keys = new SortedKeys();
    keys.add('ns/x');
    keys.add('ns-b/x');
    expect(keys.view()).toEqual(['ns-b/x', 'ns/x']);
  });

  it('lowerBound finds the first key not below the probe', () => {
    expect(lowerBound(['a', 'c', 'e'], 'b')).toBe(1);
    expect(lowerBound(['a', 'c', 'e'], 'c')).toBe(1);
    expect(lowerBound(['a', 'c', 'e'], 'f')).toBe(3);
    expect(lowerBound([], 'a')).toBe(0);
  });
});
