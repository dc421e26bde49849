import { describe, expect, it } from 'vitest';
import {
  dedupingWarningHandler,
  loggingWarningHandler,
  noWarnings,
  parseWarningHeader,
  type Warning,
} from './warning-handler.ts';

describe('Warning headers (TE-11)', () => {
  it('TE-11: parses one or several comma-joined warnings, commas and escapes inside quotes included', () => {
    const ws = parseWarningHeader(
      '299 - "policy/v1beta1 is deprecated, use v1", 299 - "say \\"hi\\"" "Tue, 15 Nov 1994 08:12:31 GMT"',
    );
    expect(ws).toEqual([
      { code: 299, agent: '-', text: 'policy/v1beta1 is deprecated, use v1' },
      { code: 299, agent: '-', text: 'say "hi"' },
    ]);
  });
  it('TE-11: skips malformed values without throwing', () => {
    expect(parseWarningHeader('garbage, 299 - "ok", 299 - "unterminated')).toEqual([
      { code: 299, agent: '-', text: 'ok' },
    ]);
    expect(parseWarningHeader('')).toEqual([]);
  });
  it('TE-11: default logs every warning; dedupe logs each text once; noWarnings drops them', () => {
    const logged: string[] = [];
    const w: Warning = { code: 299, agent: '-', text: 'x' };
    const log = loggingWarningHandler((m) => logged.push(m));
    log.handleWarning(w);
    log.handleWarning(w);
    expect(logged).toEqual(['Warning: x', 'Warning: x']);
    const seen: string[] = [];
    const dedupe = dedupingWarningHandler({ handleWarning: (x) => seen.push(x.text) });
    dedupe.handleWarning(w);
    dedupe.handleWarning(w);
    dedupe.handleWarning({ ...w, text: 'y' });
    expect(seen).toEqual(['x', 'y']);
    expect(() => noWarnings.handleWarning(w)).not.toThrow();
  });
});
