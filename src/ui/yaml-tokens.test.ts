import { describe, expect, it } from 'vitest';
import { tokenizeYamlLine } from './yaml-tokens.ts';

const kinds = (line: string) => tokenizeYamlLine(line).map((t) => `${t.kind}:${t.text}`);

describe('tokenizeYamlLine', () => {
  it('splits keys, punctuation and typed scalars', () => {
    expect(kinds('  replicas: 3')).toEqual(['text:  ', 'key:replicas', 'punct::', 'text: ', 'number:3']);
    expect(kinds('- name: "web"')).toEqual(['punct:- ', 'key:name', 'punct::', 'text: ', 'string:"web"']);
    expect(kinds('ready: true')).toEqual(['key:ready', 'punct::', 'text: ', 'bool:true']);
  });

  it('keeps a colon inside a value and comments intact', () => {
    expect(kinds('image: nginx:1.27')).toEqual(['key:image', 'punct::', 'text: ', 'text:nginx:1.27']);
    expect(kinds('# note')).toEqual(['comment:# note']);
    expect(kinds('  - item')).toEqual(['text:  ', 'punct:- ', 'text:item']);
  });

  it('reassembles every line exactly', () => {
    for (const line of ['a: b: c', 'key:', '   ', 'x: "unterminated', 'k8s.io/name: x']) {
      expect(
        tokenizeYamlLine(line)
          .map((t) => t.text)
          .join(''),
      ).toBe(line);
    }
  });
});
