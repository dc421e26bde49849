// Bounded fuzzing of the field-selector parser (issue 6) against a reference model written here:
// generated selectors with values full of the characters that need escaping (`,` `=` `\`), and
// arbitrary text, on pods (which expose many fields) and on a resource that exposes only
// metadata.name/namespace. A parse either succeeds exactly as the model says or is a 400 Status.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { printSummary } from '../../../test/adversarial/adversarial-summary.ts';
import { runFuzz } from '../../../test/adversarial/fuzz-budget.ts';
import { parseFieldSelector } from './field-selector.ts';
import { SimStatusError } from './status.ts';

const PART = 'fuzz-field-selector';
afterAll(() => {
  printSummary(PART);
});

type Op = '=' | '==' | '!=';
interface Term {
  field: string;
  operator: Op;
  value: string;
}

/** The reference: where each selectable pod field lives, and how it reads as a string. */
const POD_FIELDS: Record<string, (o: Record<string, Record<string, unknown>>) => string> = {
  'metadata.name': (o) => asString(o.metadata?.name),
  'metadata.namespace': (o) => asString(o.metadata?.namespace),
  'spec.nodeName': (o) => asString(o.spec?.nodeName),
  'spec.restartPolicy': (o) => asString(o.spec?.restartPolicy),
  'spec.schedulerName': (o) => asString(o.spec?.schedulerName),
  'spec.serviceAccountName': (o) => asString(o.spec?.serviceAccountName),
  'spec.hostNetwork': (o) => (o.spec?.hostNetwork === true ? 'true' : 'false'),
  'status.phase': (o) => asString(o.status?.phase),
  'status.podIP': (o) => asString(o.status?.podIP),
  'status.nominatedNodeName': (o) => asString(o.status?.nominatedNodeName),
};
function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const escapeValue = (v: string) => v.replace(/[\\,=]/g, (c) => `\\${c}`);

const valueArb = fc.oneof(
  fc.constantFrom('', 'a', 'node-1', 'Running', 'true', 'false', 'kube-system'),
  fc.string({
    unit: fc.oneof(
      fc.constantFrom(',', '=', '\\', '!', ' ', '\\,', '😀', '\u0000'),
      fc.string({ unit: 'grapheme', maxLength: 1 }),
    ),
    maxLength: 12,
  }),
);
const termArb: fc.Arbitrary<Term> = fc.record({
  field: fc.constantFrom(...Object.keys(POD_FIELDS)),
  operator: fc.constantFrom<Op>('=', '==', '!='),
  value: valueArb,
});
const podArb = fc.record({
  metadata: fc.record({ name: valueArb, namespace: valueArb }, { requiredKeys: [] }),
  spec: fc.record(
    {
      nodeName: valueArb,
      restartPolicy: valueArb,
      schedulerName: valueArb,
      serviceAccountName: valueArb,
      hostNetwork: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  status: fc.record({ phase: valueArb, podIP: valueArb, nominatedNodeName: valueArb }, { requiredKeys: [] }),
});

function expectBadRequest(err: unknown): void {
  expect(err).toBeInstanceOf(SimStatusError);
  const status = (err as SimStatusError).status;
  expect(status.code).toBe(400);
  expect(status.message).toMatch(/\S/);
}

describe('field selector fuzzing against a reference model', () => {
  it('generated selectors with escaped values parse to their terms and match like the model', async () => {
    await runFuzz(
      PART,
      fc.property(
        fc.array(termArb, { minLength: 1, maxLength: 4 }),
        fc.array(podArb, { maxLength: 4 }),
        (terms, pods) => {
          const text = terms.map((t) => `${t.field}${t.operator}${escapeValue(t.value)}`).join(',');
          const sel = parseFieldSelector(text, '', 'pods');
          expect(sel.requirements).toEqual(terms);
          for (const pod of pods) {
            const want = terms.every((t) => {
              const actual = (POD_FIELDS[t.field] as (o: typeof pod) => string)(pod);
              return t.operator === '!=' ? actual !== t.value : actual === t.value;
            });
            expect(sel.matches(pod as unknown as KubeObject), text).toBe(want);
          }
        },
      ),
      1500,
    );
  });

  it('a pod field on a resource that does not expose it is a 400 "field label not supported"', async () => {
    await runFuzz(
      PART,
      fc.property(
        termArb.filter((t) => !t.field.startsWith('metadata.')),
        (t) => {
          try {
            parseFieldSelector(`${t.field}${t.operator}${escapeValue(t.value)}`, '', 'configmaps');
          } catch (err) {
            expectBadRequest(err);
            expect((err as SimStatusError).status.message).toContain('field label not supported');
            return;
          }
          throw new Error('accepted a field configmaps do not expose');
        },
      ),
      300,
    );
  });

  it('arbitrary strings parse, or fail with a 400 Status — never anything else', async () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('metadata.name', 'spec.nodeName', '=', '==', '!=', '!', ',', '\\', ' ', 'a'),
        fc.string({ unit: 'binary', maxLength: 1 }),
      ),
      maxLength: 30,
    });
    await runFuzz(
      PART,
      fc.property(
        text,
        fc.constantFrom(['', 'pods'], ['', 'configmaps'], ['', 'events'], ['x.io', 'widgets']),
        podArb,
        (input, [group, resource], pod) => {
          let sel: ReturnType<typeof parseFieldSelector>;
          try {
            sel = parseFieldSelector(input, group as string, resource as string);
          } catch (err) {
            expectBadRequest(err);
            return;
          }
          expect(typeof sel.matches(pod as unknown as KubeObject)).toBe('boolean');
        },
      ),
      3000,
    );
  });
});
