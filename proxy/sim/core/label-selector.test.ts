import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './label-selector.ts';
import { SimStatusError } from './status.ts';

function badRequestMessage(input: string): string {
  try {
    parseLabelSelector(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SimStatusError);
    expect((err as SimStatusError).code).toBe(400);
    expect((err as SimStatusError).reason).toBe('BadRequest');
    return (err as SimStatusError).message;
  }
  throw new Error(`expected "${input}" to be rejected`);
}

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/team': 'a', n: '5' };

  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['example.com/team=a', true],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    [' app = web , tier in ( front , back ) ', true],
    ['n>4', true],
    ['n<5', false],
    ['missing>1', false],
  ])('%j matches the fixture labels: %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('treats absent labels as an empty set', () => {
    expect(parseLabelSelector('!app').matches(undefined)).toBe(true);
    expect(parseLabelSelector('app').matches(undefined)).toBe(false);
    expect(parseLabelSelector('app!=x').matches(undefined)).toBe(true);
  });

  it('keeps an empty value as a real value', () => {
    expect(parseLabelSelector('app=').matches({ app: '' })).toBe(true);
    expect(parseLabelSelector('app=').matches({ app: 'x' })).toBe(false);
    expect(parseLabelSelector('app in (a,)').matches({ app: '' })).toBe(true);
  });

  it.each([
    ['app=web,', 'expected: identifier'],
    ['=web', "found '='"],
    ['app in web', "expected: '('"],
    ['app in ()', "values set can't be empty"],
    ['app in (a b)', "expected: ',' or ')'"],
    ['app=a b', "expected: ',' or end of string"],
    ['-bad=x', 'name part must consist'],
    ['app=-bad', 'a valid label must be an empty string'],
    ['Bad_Prefix/x=y', 'prefix part must be a lowercase RFC 1123 subdomain'],
    ['n>x', 'the value must be an integer'],
    ['app ~ x', 'unable to parse requirement'],
    ['!', 'expected: identifier'],
  ])('rejects %j with a 400 naming the problem', (input, fragment) => {
    expect(badRequestMessage(input)).toContain(fragment);
  });

  // Property: a selector built from random requirements parses back to requirements whose
  // matching agrees with a direct evaluation of the same operators.
  it('agrees with a direct evaluation for random selectors and label sets', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'x.io/d');
    const value = fc.constantFrom('1', '2', 'v', 'w-1');
    const req = fc.oneof(
      fc.record({ op: fc.constantFrom('=', '==', '!='), key, values: fc.tuple(value) }),
      fc.record({
        op: fc.constantFrom('in', 'notin'),
        key,
        values: fc.array(value, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ op: fc.constantFrom('exists', '!'), key, values: fc.constant([] as string[]) }),
    );
    const labelSet = fc.dictionary(key, value, { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(req, { maxLength: 4 }), labelSet, (reqs, ls) => {
        const text = reqs
          .map((r) => {
            if (r.op === 'exists') return r.key;
            if (r.op === '!') return `!${r.key}`;
            if (r.op === 'in' || r.op === 'notin') return `${r.key} ${r.op} (${r.values.join(',')})`;
            return `${r.key}${r.op}${r.values[0]}`;
          })
          .join(',');
        const expected = reqs.every((r) => {
          const has = Object.hasOwn(ls, r.key);
          const v = ls[r.key];
          switch (r.op) {
            case '=':
            case '==':
              return has && v === r.values[0];
            case '!=':
              return !has || v !== r.values[0];
            case 'in':
              return has && (r.values as string[]).includes(v as string);
            case 'notin':
              return !has || !(r.values as string[]).includes(v as string);
            case 'exists':
              return has;
            default:
              return !has;
          }
        });
        expect(parseLabelSelector(text).matches(ls)).toBe(expected);
      }),
    );
  });

  it('never throws anything but a 400 Status on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (input) => {
        try {
          parseLabelSelector(input);
        } catch (err) {
          expect(err).toBeInstanceOf(SimStatusError);
          expect((err as SimStatusError).code).toBe(400);
        }
      }),
    );
  });
});
