// TE-11: `Warning` response headers (RFC 7234 §5.5, code 299 from the apiserver) are parsed and
// handed to a pluggable handler. Default: log every warning. Options: log each distinct warning
// once, or drop them all.

export interface Warning {
  code: number;
  agent: string;
  text: string;
}

export interface WarningHandler {
  handleWarning(warning: Warning): void;
}

/** Logs every warning (client-go's default WarningLogger). */
export function loggingWarningHandler(log: (message: string) => void = console.warn): WarningHandler {
  return { handleWarning: (w) => log(`Warning: ${w.text}`) };
}

/** Passes each distinct warning text to `inner` only the first time it is seen. */
export function dedupingWarningHandler(inner: WarningHandler = loggingWarningHandler()): WarningHandler {
  const seen = new Set<string>();
  return {
    handleWarning(w) {
      if (seen.has(w.text)) return;
      seen.add(w.text);
      inner.handleWarning(w);
    },
  };
}

/** Suppresses every warning. */
export const noWarnings: WarningHandler = { handleWarning: () => {} };

/**
 * Parse one or more comma-joined warning-values: `299 - "text" ["date"]`. fetch joins repeated
 * headers with ", ", so the parser walks quoted strings instead of splitting on commas. Values it
 * cannot parse are skipped (a bad header must never fail the request).
 */
export function parseWarningHeader(header: string): Warning[] {
  const out: Warning[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readQuoted = (): string | undefined => {
    if (header[i] !== '"') return undefined;
    i++;
    let text = '';
    while (i < n) {
      const c = header[i]!;
      if (c === '\\' && i + 1 < n) {
        text += header[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        return text;
      }
      text += c;
      i++;
    }
    return undefined; // unterminated
  };
  while (i < n) {
    skipSpace();
    const codeMatch = /^(\d{3}) +([^ ]+) +/.exec(header.slice(i));
    let parsed: Warning | undefined;
    if (codeMatch) {
      i += codeMatch[0].length;
      const text = readQuoted();
      if (text !== undefined) {
        parsed = { code: Number(codeMatch[1]), agent: codeMatch[2]!, text };
        skipSpace();
        if (header[i] === '"') readQuoted(); // optional warn-date
      }
    }
    if (parsed) out.push(parsed);
    // Move to the next warning-value: past the next top-level comma.
    while (i < n && header[i] !== ',') {
      if (header[i] === '"') {
        if (readQuoted() === undefined) return out;
      } else i++;
    }
    i++;
  }
  return out;
}
