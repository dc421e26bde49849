// A small line tokenizer for highlighting YAML as the `yaml` package prints it (block style):
// comments, keys, list dashes, strings, numbers, booleans/null and plain scalars. It colours
// text; it never parses meaning, so odd input degrades to plain text instead of failing.

export type YamlTokenKind = 'key' | 'punct' | 'string' | 'number' | 'bool' | 'comment' | 'text';

export interface YamlToken {
  kind: YamlTokenKind;
  text: string;
}

const KEY = /^(\s*)(- )?((?:"[^"]*"|'[^']*'|[^\s#'"][^:#]*?)):(?=\s|$)/;
const NUMBER = /^-?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+)$/;
const BOOL = /^(true|false|null|~)$/;

function scalarKind(value: string): YamlTokenKind {
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith("'")) return 'string';
  if (NUMBER.test(v)) return 'number';
  if (BOOL.test(v)) return 'bool';
  return 'text';
}

export function tokenizeYamlLine(line: string): YamlToken[] {
  const out: YamlToken[] = [];
  let rest = line;
  const trimmed = rest.trimStart();
  if (trimmed.startsWith('#')) return [{ kind: 'comment', text: line }];
  const key = KEY.exec(rest);
  if (key) {
    const [whole, indent = '', dash, name = ''] = key;
    if (indent) out.push({ kind: 'text', text: indent });
    if (dash) out.push({ kind: 'punct', text: dash });
    out.push({ kind: 'key', text: name });
    out.push({ kind: 'punct', text: ':' });
    rest = rest.slice(whole.length);
  } else {
    const dash = /^(\s*)(- )/.exec(rest);
    if (dash) {
      if (dash[1]) out.push({ kind: 'text', text: dash[1] });
      out.push({ kind: 'punct', text: '- ' });
      rest = rest.slice(dash[0].length);
    }
  }
  if (rest) {
    const lead = /^\s*/.exec(rest)?.[0] ?? '';
    if (lead) out.push({ kind: 'text', text: lead });
    const value = rest.slice(lead.length);
    if (value) out.push({ kind: scalarKind(value), text: value });
  }
  return out;
}
