// Label selectors as the apiserver parses them (apimachinery pkg/labels, selector.go): a
// comma-separated list of requirements, all of which must hold (AND). Operators: `=`, `==`, `!=`,
// `in (…)`, `notin (…)`, `key` (exists), `!key` (does not exist), and `>`/`<` on integer values.
// A parse or validation failure throws a SimStatusError 400, whose message names what was wrong.
import { badRequest } from './status.ts';

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Values in order of appearance; empty for exists/!; one value for =, ==, !=, gt, lt. */
  values: string[];
}

export interface LabelSelector {
  /** Every requirement must hold; an empty list matches every object. */
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

// Qualified name (k8s IsQualifiedName): optional DNS-subdomain prefix and "/", then a name of at
// most 63 characters that starts and ends alphanumeric with [-_.] allowed inside.
const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const INTEGER = /^-?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * strconv.ParseInt(v, 10, 64) as upstream uses for Gt/Lt: a decimal integer within int64, else
 * undefined. BigInt, because Number loses digits above 2^53 and would compare such values wrongly.
 */
function parseInt64(v: string): bigint | undefined {
  if (!INTEGER.test(v)) return undefined;
  const n = BigInt(v);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

function validateKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw badRequest(
      `unable to parse requirement: key: Invalid value: "${key}": prefix part must be a lowercase RFC 1123 subdomain`,
    );
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    throw badRequest(
      `unable to parse requirement: key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`,
    );
  }
}

function validateValue(value: string): void {
  if (value === '') return;
  if (value.length > 63 || !NAME_PART.test(value)) {
    throw badRequest(
      `unable to parse requirement: values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`,
    );
  }
}

type Token =
  | { kind: 'id'; text: string }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '>' | '<' }
  | { kind: '('; text: '(' }
  | { kind: ')'; text: ')' }
  | { kind: ','; text: ',' }
  | { kind: 'end'; text: '' };

const SPECIAL = new Set([' ', '\t', '\n', '\r', ',', '=', '!', '(', ')', '<', '>']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === ',' || c === '(' || c === ')') {
      tokens.push({ kind: c, text: c } as Token);
      i++;
    } else if (c === '=') {
      const double = input[i + 1] === '=';
      tokens.push({ kind: 'op', text: double ? '==' : '=' });
      i += double ? 2 : 1;
    } else if (c === '!') {
      const ne = input[i + 1] === '=';
      tokens.push({ kind: 'op', text: ne ? '!=' : '!' });
      i += ne ? 2 : 1;
    } else if (c === '>' || c === '<') {
      tokens.push({ kind: 'op', text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !SPECIAL.has(input[j] as string)) j++;
      tokens.push({ kind: 'id', text: input.slice(i, j) });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

function describeToken(t: Token): string {
  return t.kind === 'end' ? 'end of string' : `'${t.text}'`;
}

class Parser {
  #pos = 0;
  readonly #tokens: Token[];

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  peek(): Token {
    return this.#tokens[this.#pos] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.#pos++;
    return t;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return out;
    for (;;) {
      out.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return out;
      if (t.kind !== ',') {
        throw badRequest(
          `unable to parse requirement: found ${describeToken(t)}, expected: ',' or end of string`,
        );
      }
      if (this.peek().kind === 'end') {
        throw badRequest("unable to parse requirement: found end of string, expected: identifier after ','");
      }
    }
  }

  requirement(): LabelRequirement {
    let first = this.next();
    if (first.kind === 'op' && first.text === '!') {
      first = this.next();
      if (first.kind !== 'id') {
        throw badRequest(
          `unable to parse requirement: found ${describeToken(first)}, expected: identifier after '!'`,
        );
      }
      validateKey(first.text);
      return { key: first.text, operator: '!', values: [] };
    }
    if (first.kind !== 'id') {
      throw badRequest(`unable to parse requirement: found ${describeToken(first)}, expected: identifier`);
    }
    validateKey(first.text);
    const key = first.text;
    const op = this.peek();
    if (op.kind === ',' || op.kind === 'end') return { key, operator: 'exists', values: [] };
    this.next();
    if (op.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
      return { key, operator: op.text, values: this.valueSet() };
    }
    if (op.kind === 'op' && op.text !== '!') {
      const value = this.peek();
      let v = '';
      if (value.kind === 'id') {
        v = value.text;
        this.next();
      } else if (value.kind !== ',' && value.kind !== 'end') {
        throw badRequest(`unable to parse requirement: found ${describeToken(value)}, expected: identifier`);
      }
      validateValue(v);
      if (op.text === '>' || op.text === '<') {
        if (parseInt64(v) === undefined) {
          throw badRequest(
            `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
          );
        }
        return { key, operator: op.text === '>' ? 'gt' : 'lt', values: [v] };
      }
      return { key, operator: op.text, values: [v] };
    }
    throw badRequest(
      `unable to parse requirement: found ${describeToken(op)}, expected: in, notin, =, ==, !=, gt, lt`,
    );
  }

  valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') {
      throw badRequest(`unable to parse requirement: found ${describeToken(open)}, expected: '('`);
    }
    const values: string[] = [];
    // An empty member is allowed, as upstream: "in (a,)" holds the values "a" and "".
    for (;;) {
      const t = this.peek();
      if (t.kind === 'id') {
        validateValue(t.text);
        values.push(t.text);
        this.next();
      } else if (t.kind === ',' || t.kind === ')') {
        values.push('');
      } else {
        throw badRequest(
          `unable to parse requirement: found ${describeToken(t)}, expected: ',', ')' or identifier`,
        );
      }
      const sep = this.next();
      if (sep.kind === ')') break;
      if (sep.kind !== ',') {
        throw badRequest(`unable to parse requirement: found ${describeToken(sep)}, expected: ',' or ')'`);
      }
    }
    // "in ()" is parsed as one empty member by the loop above; upstream rejects an empty set.
    if (values.length === 1 && values[0] === '') {
      throw badRequest("unable to parse requirement: for 'in', 'notin' operators, values set can't be empty");
    }
    return values;
  }
}

function matchRequirement(
  r: LabelRequirement,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const value = has ? (labels as Record<string, string>)[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
      return has && value === r.values[0];
    case 'in':
      return has && r.values.includes(value as string);
    case '!=':
      return !has || value !== r.values[0];
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const actual = has ? parseInt64(value as string) : undefined;
      const bound = parseInt64(r.values[0] as string);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

/** Parse a labelSelector query value. Throws SimStatusError 400 on bad syntax or bad names. */
export function parseLabelSelector(input: string): LabelSelector {
  const requirements = new Parser(tokenize(input)).parse();
  return {
    requirements,
    matches: (labels) => requirements.every((r) => matchRequirement(r, labels)),
  };
}

/** The selector that matches everything (an absent or empty labelSelector). */
export const EVERYTHING_LABELS: LabelSelector = { requirements: [], matches: () => true };
