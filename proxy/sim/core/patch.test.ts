import { describe, expect, it } from 'vitest';
import { applyPatch, jsonPatch, mergePatch, patchTypeOf, strategicMergePatch } from './patch.ts';
import { SimStatusError } from './status.ts';

function codeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SimStatusError);
    return (err as SimStatusError).code;
  }
  throw new Error('expected a Status error');
}

describe('mergePatch (RFC 7386)', () => {
  it('merges objects recursively, deletes on null and replaces lists', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2], keep: true };
    expect(mergePatch(target, { a: { c: null, d: 3 }, list: [9] })).toEqual({
      a: { b: 1, d: 3 },
      list: [9],
      keep: true,
    });
    expect(target).toEqual({ a: { b: 1, c: 2 }, list: [1, 2], keep: true });
  });
});

describe('jsonPatch (RFC 6902)', () => {
  const doc = { metadata: { labels: { 'a/b': 'x' } }, spec: { list: [1, 2, 3] } };

  it('applies add, replace, remove, move, copy and test in order', () => {
    const out = jsonPatch(doc, [
      { op: 'test', path: '/spec/list/0', value: 1 },
      { op: 'add', path: '/spec/list/-', value: 4 },
      { op: 'add', path: '/spec/list/0', value: 0 },
      { op: 'replace', path: '/metadata/labels/a~1b', value: 'y' },
      { op: 'copy', from: '/spec/list', path: '/spec/copy' },
      { op: 'move', from: '/spec/copy', path: '/moved' },
      { op: 'remove', path: '/spec/list/1' },
    ]);
    expect(out).toEqual({
      metadata: { labels: { 'a/b': 'y' } },
      spec: { list: [0, 2, 3, 4] },
      moved: [0, 1, 2, 3, 4],
    });
    expect(doc.spec.list).toEqual([1, 2, 3]);
  });

  it('a failed test is 422 and leaves the input untouched', () => {
    expect(
      codeOf(() =>
        jsonPatch(doc, [
          { op: 'add', path: '/x', value: 1 },
          { op: 'test', path: '/spec/list/0', value: 7 },
        ]),
      ),
    ).toBe(422);
    expect(doc).not.toHaveProperty('x');
  });

  it.each([
    [{ op: 'remove', path: '/nope' }, 422],
    [{ op: 'replace', path: '/nope', value: 1 }, 422],
    [{ op: 'add', path: '/spec/list/9', value: 1 }, 422],
    [{ op: 'add', path: 'no-slash', value: 1 }, 422],
    [{ op: 'add', path: '/x' }, 400],
    [{ op: 'frobnicate', path: '/x' }, 400],
    ['not an op', 400],
  ])('rejects %j with %i', (op, code) => {
    expect(codeOf(() => jsonPatch(doc, [op]))).toBe(code);
  });

  it('requires an array', () => {
    expect(codeOf(() => jsonPatch(doc, { op: 'add' }))).toBe(400);
  });
});

describe('strategicMergePatch', () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'app:1', ports: [{ containerPort: 80, protocol: 'TCP' }] },
            { name: 'sidecar', image: 'side:1' },
          ],
        },
      },
    },
  };

  it('merges lists of named objects by name instead of replacing them', () => {
    const out = strategicMergePatch(deployment, {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'app', image: 'app:2', ports: [{ containerPort: 80, protocol: 'TCP' }] },
      { name: 'sidecar', image: 'side:1' },
    ]);
  });

  it('honours $patch: delete in a list, and drops $setElementOrder directives', () => {
    const out = strategicMergePatch(deployment, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [{ name: 'sidecar', $patch: 'delete' }],
          },
        },
      },
    }) as typeof deployment;
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['app']);
    expect(out.spec.template.spec).not.toHaveProperty('$setElementOrder/containers');
  });

  it('honours $patch: replace on a map and $deleteFromPrimitiveList', () => {
    expect(strategicMergePatch({ a: { x: 1, y: 2 } }, { a: { $patch: 'replace', z: 3 } })).toEqual({
      a: { z: 3 },
    });
    expect(strategicMergePatch({ f: ['a', 'b', 'c'] }, { '$deleteFromPrimitiveList/f': ['b'] })).toEqual({
      f: ['a', 'c'],
    });
  });

  it('replaces lists without a merge key, and null still deletes', () => {
    expect(strategicMergePatch({ args: ['a', 'b'], x: 1 }, { args: ['c'], x: null })).toEqual({
      args: ['c'],
    });
  });
});

describe('patchTypeOf / applyPatch', () => {
  it('maps content types and refuses the unsupported ones', () => {
    expect(patchTypeOf('application/merge-patch+json')).toBe('merge');
    expect(patchTypeOf('application/strategic-merge-patch+json; charset=utf-8')).toBe('strategic');
    expect(patchTypeOf('application/json-patch+json')).toBe('json');
    expect(patchTypeOf('application/apply-patch+yaml')).toBeUndefined();
  });

  it('rejects a merge patch that is not an object', () => {
    expect(codeOf(() => applyPatch('merge', {}, [1]))).toBe(400);
    expect(codeOf(() => applyPatch('strategic', {}, 'x'))).toBe(400);
  });
});
