// Bounded fuzzing of the kubeconfig loader and merger (issue 6): arbitrary text and arbitrary
// structures never crash it, every failure is a clear error on its file or on its one context,
// and generated valid configs follow KC-01 (source list) and KC-02 (merge) exactly.
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { printSummary } from '../../../test/adversarial/adversarial-summary.ts';
import { runFuzz } from '../../../test/adversarial/fuzz-budget.ts';
import { makeTempDir } from '../testing/temp-dir.ts';
import { isRecord, type NamedEntry, parseKubeconfigText } from './kubeconfig-file.ts';
import { type MergedKubeconfig, mergeKubeconfigs } from './kubeconfig-merge.ts';
import { kubeconfigSources } from './kubeconfig-sources.ts';
import { resolveContext } from './resolve-context.ts';

const PART = 'fuzz-kubeconfig';
const tmp = makeTempDir('kubeglass-kc-fuzz-');
afterAll(() => {
  tmp.remove();
  printSummary(PART);
});

const FILE = resolve(tmp.path, 'fuzz/config');

// ---- Generators -------------------------------------------------------------------------------
const name = fc.constantFrom('a', 'b', 'c', 'prod', 'arn:aws:eks:eu-west-1:1:cluster/x', 'ü');
const clusterBody = fc.record(
  {
    server: fc.constantFrom('https://127.0.0.1:6443', 'http://10.0.0.1', 'https://h.example/prefix'),
    'insecure-skip-tls-verify': fc.boolean(),
  },
  { requiredKeys: ['server'] },
);
const userBody = fc.oneof(
  fc.record({ token: fc.constantFrom('t1', 't2') }),
  fc.constant({}),
  fc.record({ username: fc.constant('u'), password: fc.constant('p') }),
  fc.record({
    exec: fc.record({
      apiVersion: fc.constant('client.authentication.k8s.io/v1'),
      command: fc.constantFrom('plugin', './bin/p'),
    }),
  }),
);
const contextBody = fc.record(
  { cluster: name, user: name, namespace: fc.constantFrom('default', 'kube-system') },
  { requiredKeys: ['cluster'] },
);
const entries = <T>(body: fc.Arbitrary<T>, key: string) =>
  fc
    .uniqueArray(fc.record({ name, body }), { selector: (e) => e.name, maxLength: 4 })
    .map((es) => es.map((e) => ({ name: e.name, [key]: e.body })));
const validDoc = fc.record(
  {
    'current-context': fc.constantFrom('', 'a', 'b', 'prod'),
    clusters: entries(clusterBody, 'cluster'),
    users: entries(userBody, 'user'),
    contexts: entries(contextBody, 'context'),
  },
  { requiredKeys: [] },
);

/** Replace the value at a random path of a document with an arbitrary JSON value (or delete it). */
function mutate(doc: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const [step = 0, ...rest] = path;
  if (Array.isArray(doc)) {
    if (doc.length === 0) return replacement;
    const i = step % doc.length;
    return doc.map((v, j) => (j === i ? mutate(v, rest, replacement) : v));
  }
  const keys = Object.keys(doc);
  if (keys.length === 0) return replacement;
  const k = keys[step % keys.length] as string;
  const copy: Record<string, unknown> = { ...(doc as Record<string, unknown>) };
  if (replacement === undefined && rest.length === 0) delete copy[k];
  else copy[k] = mutate(copy[k], rest, replacement);
  return copy;
}
const hostileDoc = fc
  .tuple(
    validDoc,
    fc.array(
      fc.tuple(
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constant(undefined),
          fc.constantFrom('%%%', '!!binary x', '\u0000', 'a'.repeat(300)),
        ),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([doc, muts]) => muts.reduce<unknown>((d, [p, r]) => mutate(d, p, r), doc));

// ---- The properties ---------------------------------------------------------------------------
function expectClearFileError(result: ReturnType<typeof parseKubeconfigText>): void {
  if (result.ok) return;
  expect(result.error.startsWith(`${FILE}: `)).toBe(true);
  expect(result.error.length).toBeGreaterThan(FILE.length + 2);
}

/** Only what context `ctxName` needs: its entry, its cluster and its user. */
function isolate(merged: MergedKubeconfig, ctxName: string): MergedKubeconfig {
  const ctx = merged.contexts.get(ctxName);
  const pick = (m: Map<string, NamedEntry>, key: unknown): Map<string, NamedEntry> => {
    const entry = typeof key === 'string' ? m.get(key) : undefined;
    return entry ? new Map([[key as string, entry]]) : new Map();
  };
  return {
    currentContext: merged.currentContext,
    contexts: ctx ? new Map([[ctxName, ctx]]) : new Map(),
    clusters: pick(merged.clusters, ctx?.value.cluster),
    users: pick(merged.users, ctx?.value.user),
  };
}

describe('kubeconfig loader fuzzing (KC-01, KC-02)', () => {
  it('arbitrary text never throws; a failure names the file and says what is wrong', async () => {
    const yamlish = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          ':',
          '- ',
          '\n',
          '  ',
          '{',
          '}',
          '[',
          ']',
          '"',
          "'",
          '&a',
          '*a',
          '!!',
          '#',
          '|',
          '>',
          'clusters',
          'name',
          '---\n',
          '\t',
        ),
        fc.string({ unit: 'grapheme', maxLength: 1 }),
      ),
      maxLength: 80,
    });
    await runFuzz(
      PART,
      fc.property(yamlish, (text) => {
        const result = parseKubeconfigText(text, FILE);
        expectClearFileError(result);
        if (result.ok) expect(() => mergeKubeconfigs([result.doc])).not.toThrow();
      }),
      1500,
    );
  });

  it('arbitrary structures never crash resolution; each failure lands on its own context only', async () => {
    await runFuzz(
      PART,
      fc.property(hostileDoc, (doc) => {
        const result = parseKubeconfigText(stringify(doc) ?? '', FILE);
        expectClearFileError(result);
        if (!result.ok) return;
        const merged = mergeKubeconfigs([result.doc]);
        for (const ctxName of [...merged.contexts.keys(), 'not-there']) {
          const full = resolveContext(merged, ctxName);
          // Exactly one of: a usable target, or a non-empty reason on the context.
          expect(full.target === undefined).toBe(typeof full.info.error === 'string');
          if (full.info.error !== undefined) expect(full.info.error).toMatch(/\S/);
          // Isolation: the outcome depends only on this context's own entries.
          expect(resolveContext(isolate(merged, ctxName), ctxName).info).toEqual(full.info);
          // KC-09: a credential never shows in the context list.
          expect(JSON.stringify(full.info)).not.toMatch(/"t1"|"t2"|password/);
        }
      }),
      800,
    );
  });

  it('KC-02: valid configs round-trip through YAML and merge first-definition-wins', async () => {
    await runFuzz(
      PART,
      fc.property(fc.array(validDoc, { minLength: 1, maxLength: 4 }), (docs) => {
        const files = docs.map((_, i) => resolve(tmp.path, `kc-${i}/config`));
        const parsed = docs.map((d, i) => {
          const r = parseKubeconfigText(stringify(d), files[i] as string);
          if (!r.ok) throw new Error(`valid config refused: ${r.error}`);
          return r.doc;
        });
        const merged = mergeKubeconfigs(parsed);
        expect(merged.currentContext).toBe(
          docs.map((d) => d['current-context'] ?? '').find((c) => c !== '') ?? '',
        );
        for (const [key, body] of [
          ['clusters', 'cluster'],
          ['users', 'user'],
          ['contexts', 'context'],
        ] as const) {
          const want = new Map<string, { value: unknown; file: string }>();
          docs.forEach((d, i) => {
            for (const e of (d[key] ?? []) as Record<string, unknown>[]) {
              const n = e.name as string;
              if (!want.has(n))
                want.set(n, { value: isRecord(e[body]) ? e[body] : {}, file: files[i] as string });
            }
          });
          const got = merged[key];
          expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
          for (const [n, w] of want) {
            expect(got.get(n)?.value).toEqual(w.value);
            expect(got.get(n)?.file).toBe(w.file);
          }
        }
      }),
      300,
    );
  });

  it('KC-01: a KUBECONFIG list keeps first-seen order, drops duplicates and empties, skips missing files', async () => {
    const existing = ['x/one', 'x/two', 'y/three'].map((p) => tmp.write(p, 'clusters: []\n'));
    const missing = ['x/none', 'z/gone'].map((p) => resolve(tmp.path, p));
    const entry = fc.oneof(fc.constantFrom(...existing, ...missing), fc.constantFrom('', ' ', '\t'));
    await runFuzz(
      PART,
      fc.property(fc.array(entry, { maxLength: 8 }), (list) => {
        const sources = kubeconfigSources({ envList: list.join(':'), separator: ':' });
        const seen = [...new Set(list.filter((e) => e.trim() !== ''))];
        expect(sources.watched).toEqual(seen);
        expect(sources.files).toEqual(seen.filter((f) => existing.includes(f)));
        expect(sources.warnings.length > 0).toBe(seen.length > 0 && sources.files.length === 0);
      }),
      500,
    );
  });
});
