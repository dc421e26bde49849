// Bounded fuzzing of the label-selector parser (issue 6) against a reference model written here:
// generated valid selectors, serialised with random spacing, must parse to exactly their
// requirements and match label sets exactly as the model says (apimachinery pkg/labels semantics,
// including Gt/Lt on 64-bit integers); arbitrary strings must parse or fail with a 400 Status.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { printSummary } from '../../../test/adversarial/adversarial-summary.ts';
import { runFuzz } from '../../../test/adversarial/fuzz-budget.ts';
import { parseLabelSelector } from './label-selector.ts';
import { SimStatusError } from './status.ts';

const PART = 'fuzz-label-selector';
afterAll(() => {
  printSummary(PART);
});

type Op = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
interface Req {
  key: string;
  operator: Op;
  values: string[];
}

const alnum = fc.constantFrom(...'abcxyzABZ0189');
const inner = fc.constantFrom(...'abz09-_.');
/** A label name part / value: alphanumeric ends, [-_.] allowed inside, at most 63 characters. */
const namePart = fc
  .tuple(alnum, fc.string({ unit: inner, maxLength: 8 }), alnum, fc.boolean())
  .map(([a, mid, z, short]) => (short ? a : `${a}${mid}${z}`));
const dnsLabel = fc
  .tuple(
    fc.constantFrom(...'abz09'),
    fc.string({ unit: fc.constantFrom(...'abz09-'), maxLength: 6 }),
    fc.constantFrom(...'abz09'),
  )
  .map(([a, mid, z]) => `${a}${mid}${z}`);
const prefix = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.'));
const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('app', 'tier', 'n', 'example.com/owner') },
  { weight: 2, arbitrary: namePart },
  { weight: 1, arbitrary: fc.tuple(prefix, namePart).map(([p, n]) => `${p}/${n}`) },
);
/** Integers within int64, around the float64 precision edge (2^53) and the int64 edge. */
const boundValue = fc.oneof(
  fc.nat({ max: 1000 }).map(String),
  fc.constantFrom('9007199254740992', '9007199254740993', '9223372036854775807', '0', '007'),
  fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
);
/** Label values that look numeric, including ones past int64 (never Gt/Lt-comparable). */
const intValue = fc.oneof(boundValue, fc.constantFrom('9223372036854775808', '99999999999999999999'));
const valueArb = fc.oneof(fc.constantFrom('v', 'w-1', 'prod', '1', ''), namePart, intValue);
const nonEmptyValue = fc.oneof(fc.constantFrom('v', 'w-1', 'prod', '1'), namePart, intValue);

const reqArb: fc.Arbitrary<Req> = fc.oneof(
  fc.record({
    key: keyArb,
    operator: fc.constantFrom<Op>('=', '==', '!='),
    values: fc.tuple(valueArb).map((v): string[] => v),
  }),
  fc.record({
    key: keyArb,
    operator: fc.constantFrom<Op>('in', 'notin'),
    values: fc.array(nonEmptyValue, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ key: keyArb, operator: fc.constantFrom<Op>('exists', '!'), values: fc.constant<string[]>([]) }),
  fc.record({
    key: keyArb,
    operator: fc.constantFrom<Op>('gt', 'lt'),
    values: fc.tuple(boundValue).map((v): string[] => v),
  }),
);

const space = fc.constantFrom('', ' ', '  ', '\t');

function serialize(reqs: Req[], sp: string[]): string {
  let k = 0;
  const s = () => sp[k++ % Math.max(1, sp.length)] ?? '';
  return reqs
    .map((r) => {
      switch (r.operator) {
        case 'exists':
          return `${s()}${r.key}${s()}`;
        case '!':
          return `${s()}!${s()}${r.key}${s()}`;
        case 'in':
        case 'notin':
          // "in" needs a separator from the key; the value list may hug the parenthesis.
          return `${s()}${r.key} ${s()}${r.operator}${s()}(${r.values.map((v) => `${s()}${v}${s()}`).join(',')})${s()}`;
        case 'gt':
        case 'lt':
          return `${s()}${r.key}${s()}${r.operator === 'gt' ? '>' : '<'}${s()}${r.values[0]}${s()}`;
        default:
          return `${s()}${r.key}${s()}${r.operator}${s()}${r.values[0]}${s()}`;
      }
    })
    .join(',');
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
/** strconv.ParseInt(v, 10, 64) as the reference: decimal, optional sign, within int64. */
function parseInt64(v: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = BigInt(v);
  return n > INT64_MAX || n < INT64_MIN ? undefined : n;
}

/**
 * The reference, written from the selector's documented meaning rather than from the parser's
 * code: each requirement is the set of label states (a value, or `undefined` for "no such label")
 * it accepts. Equality-style operators accept exactly their listed values; their negations accept
 * everything else, absence included; gt/lt compare as int64 and accept nothing non-numeric.
 */
function acceptedStates(r: Req): (state: string | undefined) => boolean {
  const listed = new Set(r.values);
  if (r.operator === 'exists') return (state) => state !== undefined;
  if (r.operator === '!') return (state) => state === undefined;
  if (r.operator === '=' || r.operator === '==' || r.operator === 'in') {
    return (state) => state !== undefined && listed.has(state);
  }
  if (r.operator === '!=' || r.operator === 'notin')
    return (state) => !(state !== undefined && listed.has(state));
  const bound = parseInt64(r.values[0] ?? '');
  const sign = r.operator === 'gt' ? 1n : -1n;
  return (state) => {
    const actual = state === undefined ? undefined : parseInt64(state);
    return actual !== undefined && bound !== undefined && (actual - bound) * sign > 0n;
  };
}

function modelMatches(r: Req, labels: Record<string, string>): boolean {
  return acceptedStates(r)(Object.hasOwn(labels, r.key) ? labels[r.key] : undefined);
}

describe('label selector fuzzing against a reference model', () => {
  it('generated valid selectors parse to their requirements and match like the model', async () => {
    await runFuzz(
      PART,
      fc.property(
        fc.array(reqArb, { minLength: 1, maxLength: 5 }),
        fc.array(space, { minLength: 1, maxLength: 7 }),
        fc.array(fc.dictionary(keyArb, valueArb, { maxKeys: 5 }), { minLength: 1, maxLength: 4 }),
        (reqs, sp, labelSets) => {
          const text = serialize(reqs, sp);
          const sel = parseLabelSelector(text);
          expect(sel.requirements).toEqual(reqs);
          for (const ls of labelSets) {
            expect(sel.matches(ls), `${text} on ${JSON.stringify(ls)}`).toBe(
              reqs.every((r) => modelMatches(r, ls)),
            );
          }
        },
      ),
      1500,
    );
  });

  it('a Gt/Lt bound that is not an int64 is a 400, as strconv.ParseInt refuses it upstream', async () => {
    await runFuzz(
      PART,
      fc.property(
        keyArb,
        fc.constantFrom('>', '<'),
        fc.oneof(
          fc.bigInt({ min: 2n ** 63n, max: 2n ** 70n }).map(String),
          fc.constantFrom('1.5', 'ten', '1e3', ''),
        ),
        (key, op, bound) => {
          expect(() => parseLabelSelector(`${key}${op}${bound}`)).toThrow(SimStatusError);
        },
      ),
      300,
    );
  });

  it('arbitrary strings parse, or fail with a 400 Status that says why — never anything else', async () => {
    const selectorish = fc.string({
      unit: fc.oneof(
        fc.constantFrom(
          'a',
          'b',
          '=',
          '!',
          ',',
          '(',
          ')',
          '<',
          '>',
          ' ',
          'in',
          'notin',
          '/',
          '.',
          '-',
          '1',
          '\\',
        ),
        fc.string({ unit: 'binary', maxLength: 1 }),
      ),
      maxLength: 40,
    });
    await runFuzz(
      PART,
      fc.property(selectorish, fc.dictionary(keyArb, valueArb, { maxKeys: 3 }), (input, labels) => {
        let sel: ReturnType<typeof parseLabelSelector>;
        try {
          sel = parseLabelSelector(input);
        } catch (err) {
          expect(err).toBeInstanceOf(SimStatusError);
          const status = (err as SimStatusError).status;
          expect(status.code).toBe(400);
          expect(status.reason).toBe('BadRequest');
          expect(status.message).toMatch(/\S/);
          return;
        }
        expect(typeof sel.matches(labels)).toBe('boolean');
      }),
      3000,
    );
  });
});
