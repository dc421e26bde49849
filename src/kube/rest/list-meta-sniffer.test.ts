import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListMetaSniffer, MAX_PREFIX } from './list-meta-sniffer.ts';

function sniff(pieces: string[]): { meta: ReturnType<ListMetaSniffer['push']>; at: number; done: boolean } {
  const sniffer = new ListMetaSniffer();
  for (let i = 0; i < pieces.length; i++) {
    const meta = sniffer.push(pieces[i] as string);
    if (meta) return { meta, at: i, done: sniffer.done };
  }
  return { meta: undefined, at: -1, done: sniffer.done };
}

const page = (metadata: unknown, items: unknown[] = [{ metadata: { name: 'a' } }]) =>
  JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata, items });

describe('ListMetaSniffer', () => {
  it('reads resourceVersion and continue from the start of a list body, before the items arrive', () => {
    const body = page({ resourceVersion: '42', continue: 'eyJ2Ijox', remainingItemCount: 7 });
    const head = body.slice(0, body.indexOf('"items"') + 3);
    const r = sniff([head]);
    expect(r.meta).toEqual({ resourceVersion: '42', continue: 'eyJ2Ijox', remainingItemCount: 7 });
    expect(r.done).toBe(true);
  });

  it('handles every split of the body, including inside escapes and keys', () => {
    const metadata = { resourceVersion: '9', continue: 'to\\"k}{en\u00e9' };
    const body = page(metadata);
    for (let cut = 0; cut <= body.length; cut++) {
      const r = sniff([body.slice(0, cut), body.slice(cut)]);
      expect(r.meta, `cut at ${cut}`).toEqual(metadata);
    }
  });

  it('finds the metadata whatever the chunking (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (rv, token, sizes) => {
          const body = page({ resourceVersion: rv, continue: token });
          const pieces: string[] = [];
          let pos = 0;
          for (let i = 0; pos < body.length; i++) {
            const n = sizes[i % sizes.length] as number;
            pieces.push(body.slice(pos, pos + n));
            pos += n;
          }
          expect(sniff(pieces).meta).toEqual({ resourceVersion: rv, continue: token });
        },
      ),
    );
  });

  it('skips string values that look like keys or braces', () => {
    const body = `{"kind":"metadata","note":"{\\"items\\":[","metadata":{"continue":"c"},"items":[]}`;
    expect(sniff([body]).meta).toEqual({ continue: 'c' });
  });

  it('ignores nested metadata objects (only the top-level key counts)', () => {
    const body = `{"kind":"X","extra":{"metadata":{"continue":"inner"}},"metadata":{"continue":"outer"},"items":[]}`;
    expect(sniff([body]).meta).toEqual({ continue: 'outer' });
  });

  it('gives up when the items come before the metadata', () => {
    const body = `{"items":[{"metadata":{"name":"a"}}],"metadata":{"continue":"late"}}`;
    const sniffer = new ListMetaSniffer();
    expect(sniffer.push(body)).toBeUndefined();
    expect(sniffer.done).toBe(true);
    expect(sniffer.push('more')).toBeUndefined();
  });

  it('gives up on a body that is not a JSON object, or has no metadata', () => {
    for (const body of ['[1,2]', '<html>502 Bad Gateway</html>', '{"kind":"Status","code":500}']) {
      const sniffer = new ListMetaSniffer();
      expect(sniffer.push(body), body).toBeUndefined();
      expect(sniffer.done, body).toBe(true);
    }
  });

  it('gives up when metadata is not an object, or when it does not parse', () => {
    expect(sniff(['{"metadata":["x"],"items":[]}']).meta).toBeUndefined();
    const sniffer = new ListMetaSniffer();
    expect(sniffer.push('{"metadata":{"continue":tru}')).toBeUndefined();
    expect(sniffer.done).toBe(true);
  });

  it('waits across pieces of leading whitespace, and keeps only fields of ListMeta with the right types', () => {
    expect(sniff(['  \n', ' {"metadata":{"continue":5,"resourceVersion":"1","x":true}}']).meta).toEqual({
      resourceVersion: '1',
    });
  });

  it('gives up after MAX_PREFIX characters without the end of the metadata', () => {
    const sniffer = new ListMetaSniffer();
    sniffer.push('{"metadata":{"continue":"');
    expect(sniffer.done).toBe(false);
    sniffer.push('x'.repeat(MAX_PREFIX));
    expect(sniffer.done).toBe(true);
    expect(sniffer.meta).toBeUndefined();
  });
});
