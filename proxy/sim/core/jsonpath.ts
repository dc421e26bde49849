// The small JSONPath subset a CustomResourceDefinition's additionalPrinterColumns use, evaluated the
// way the apiserver's CRD table convertor does (k8s.io/client-go/util/jsonpath with missing keys
// allowed): a missing field yields no result rather than an error.
//
// Supported: an optional "$" root and optional "{...}" braces; field steps `.name`; bracketed keys
// `['a.b']` / `["a.b"]`; array indexes `[0]`, `[-1]`; the wildcard `[*]` / `.*`; and filters
// `[?(@.type=="Ready")]` comparing a relative path with ==, !=, <, <=, >, >= against a string,
// number, true/false or null literal, or `[?(@.field)]` testing that a field exists.
// Anything else is rejected with a JsonPathError when the expression is compiled, never at
// evaluation time, so a bad CRD column fails loudly once instead of blanking every row.

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

type Literal = string | number | boolean | null;

type FilterOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: Step[]; op: FilterOp; value: Literal }
  | { kind: 'exists'; path: Step[] };

/** A compiled expression. evaluate() never throws: absent fields simply produce fewer results. */
export interface JsonPath {
  readonly source: string;
  /** Every value the expression selects, in document order. */
  evaluate(root: unknown): unknown[];
}

/** Compile an expression such as `.status.conditions[?(@.type=="Ready")].status`. Throws JsonPathError. */
export function compileJsonPath(source: string): JsonPath {
  if (typeof source !== 'string') throw new JsonPathError('jsonpath must be a string');
  let text = source.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (text.startsWith('$')) text = text.slice(1);
  if (text === '') throw new JsonPathError(`empty jsonpath expression "${source}"`);
  const parser = new Parser(text, source);
  const steps = parser.parsePath(false);
  if (!parser.atEnd()) parser.fail('unexpected character');
  return {
    source,
    evaluate: (root: unknown) => evaluateSteps(steps, [root]),
  };
}

class Parser {
  #pos = 0;
  readonly #text: string;
  readonly #source: string;

  constructor(text: string, source: string) {
    this.#text = text;
    this.#source = source;
  }

  atEnd(): boolean {
    return this.#pos >= this.#text.length;
  }

  fail(what: string): never {
    throw new JsonPathError(`invalid jsonpath "${this.#source}": ${what} at offset ${this.#pos}`);
  }

  /**
   * Steps until the end of input, or (inside a filter) until a comparison operator or ")".
   * A path must start with "." or "[".
   */
  parsePath(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    while (!this.atEnd()) {
      const c = this.#text[this.#pos];
      if (c === '.') {
        this.#pos++;
        if (this.#text[this.#pos] === '*') {
          this.#pos++;
          steps.push({ kind: 'wildcard' });
          continue;
        }
        const name = this.#readIdentifier();
        if (name === '') this.fail('expected a field name after "."');
        steps.push({ kind: 'field', name });
      } else if (c === '[') {
        steps.push(this.#parseBracket());
      } else if (inFilter) {
        break;
      } else {
        this.fail(`unexpected "${c}"`);
      }
    }
    if (steps.length === 0 && !inFilter) this.fail('expected "." or "["');
    return steps;
  }

  #readIdentifier(): string {
    const start = this.#pos;
    while (!this.atEnd() && /[A-Za-z0-9_\-$]/.test(this.#text[this.#pos] ?? '')) this.#pos++;
    return this.#text.slice(start, this.#pos);
  }

  #skipSpaces(): void {
    while (this.#text[this.#pos] === ' ') this.#pos++;
  }

  #expect(token: string): void {
    if (!this.#text.startsWith(token, this.#pos)) this.fail(`expected "${token}"`);
    this.#pos += token.length;
  }

  #parseBracket(): Step {
    this.#expect('[');
    this.#skipSpaces();
    const c = this.#text[this.#pos];
    let step: Step;
    if (c === '*') {
      this.#pos++;
      step = { kind: 'wildcard' };
    } else if (c === "'" || c === '"') {
      step = { kind: 'field', name: this.#readQuoted() };
    } else if (c === '?') {
      this.#pos++;
      step = this.#parseFilter();
    } else if (c !== undefined && /[-0-9]/.test(c)) {
      const start = this.#pos;
      if (c === '-') this.#pos++;
      while (/[0-9]/.test(this.#text[this.#pos] ?? '')) this.#pos++;
      const digits = this.#text.slice(start, this.#pos);
      if (digits === '' || digits === '-') this.fail('expected an array index');
      if (this.#text[this.#pos] === ':') this.fail('array slices are not supported');
      step = { kind: 'index', index: Number(digits) };
    } else {
      this.fail('unsupported bracket expression');
    }
    this.#skipSpaces();
    this.#expect(']');
    return step;
  }

  #readQuoted(): string {
    const quote = this.#text[this.#pos];
    this.#pos++;
    let out = '';
    while (!this.atEnd() && this.#text[this.#pos] !== quote) {
      if (this.#text[this.#pos] === '\\') this.#pos++;
      out += this.#text[this.#pos] ?? '';
      this.#pos++;
    }
    if (this.atEnd()) this.fail('unterminated string');
    this.#pos++;
    return out;
  }

  #parseFilter(): Step {
    this.#expect('(');
    this.#skipSpaces();
    this.#expect('@');
    const path = this.parsePath(true);
    this.#skipSpaces();
    if (this.#text[this.#pos] === ')') {
      this.#pos++;
      if (path.length === 0) this.fail('empty filter');
      return { kind: 'exists', path };
    }
    const op = this.#readOperator();
    this.#skipSpaces();
    const value = this.#readLiteral();
    this.#skipSpaces();
    this.#expect(')');
    return { kind: 'filter', path, op, value };
  }

  #readOperator(): FilterOp {
    for (const op of ['==', '!=', '<=', '>=', '<', '>'] as const) {
      if (this.#text.startsWith(op, this.#pos)) {
        this.#pos += op.length;
        return op;
      }
    }
    this.fail('expected a comparison operator');
  }

  #readLiteral(): Literal {
    const c = this.#text[this.#pos];
    if (c === "'" || c === '"') return this.#readQuoted();
    const match = /^(-?[0-9]+(?:\.[0-9]+)?|true|false|null)/.exec(this.#text.slice(this.#pos));
    if (!match?.[1]) this.fail('expected a literal');
    this.#pos += match[1].length;
    if (match[1] === 'true') return true;
    if (match[1] === 'false') return false;
    if (match[1] === 'null') return null;
    return Number(match[1]);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evaluateSteps(steps: readonly Step[], start: unknown[]): unknown[] {
  let current = start;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) applyStep(step, value, next);
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function applyStep(step: Step, value: unknown, out: unknown[]): void {
  switch (step.kind) {
    case 'field':
      if (isRecord(value) && Object.hasOwn(value, step.name)) out.push(value[step.name]);
      return;
    case 'index': {
      if (!Array.isArray(value)) return;
      const i = step.index < 0 ? value.length + step.index : step.index;
      if (i >= 0 && i < value.length) out.push(value[i]);
      return;
    }
    case 'wildcard':
      if (Array.isArray(value)) out.push(...value);
      else if (isRecord(value)) out.push(...Object.values(value));
      return;
    case 'exists':
      if (!Array.isArray(value)) return;
      for (const item of value) if (evaluateSteps(step.path, [item]).length > 0) out.push(item);
      return;
    case 'filter':
      if (!Array.isArray(value)) return;
      for (const item of value) {
        if (evaluateSteps(step.path, [item]).some((v) => compare(v, step.op, step.value))) out.push(item);
      }
      return;
  }
}

function compare(left: unknown, op: FilterOp, right: Literal): boolean {
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    default:
      if (typeof left === 'number' && typeof right === 'number') {
        if (op === '<') return left < right;
        if (op === '<=') return left <= right;
        if (op === '>') return left > right;
        return left >= right;
      }
      return false;
  }
}

/**
 * A selected value as jsonpath prints it into a string column: scalars as text, objects and
 * arrays as compact JSON (client-go's JSONPath.PrintResults).
 */
export function jsonPathText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
