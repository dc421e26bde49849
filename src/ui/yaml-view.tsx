// Read-only, highlighted YAML. Lines are tokenized once per text change; the view is a <pre> so
// the text can be selected and copied as is.
import { useMemo } from 'react';
import { tokenizeYamlLine } from './yaml-tokens.ts';

export function YamlView({ text, label }: { text: string; label: string }) {
  const lines = useMemo(() => text.replace(/\n$/, '').split('\n').map(tokenizeYamlLine), [text]);
  return (
    <section aria-label={label} className="yaml-view-wrap">
      <pre className="yaml-view">
        <code>
          {lines.map((tokens, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
            <span key={i} className="yaml-line">
              {tokens.map((t, j) =>
                t.kind === 'text' ? (
                  t.text
                ) : (
                  // biome-ignore lint/suspicious/noArrayIndexKey: tokens are positional
                  <span key={j} className={`y-${t.kind}`}>
                    {t.text}
                  </span>
                ),
              )}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </section>
  );
}
