// The proxy's only log sink. Every line passes through redact() before it is written, so a token,
// key or the session secret that slips into a message (an error from an exec plugin, a URL with
// ?token=) never reaches the terminal. Secrets are registered as they become known; well-known
// credential shapes (bearer values, PEM blocks, token query parameters) are masked even when
// nobody registered them.

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Register a value that must never appear in the log (tokens, keys, the session secret). */
  addSecret(value: string): void;
}

const MASK = '[redacted]';

/** Secrets shorter than this are not masked by value: masking "a" would destroy every line. */
const MIN_SECRET_LENGTH = 6;

const PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g,
  /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /([?&](token|access_token|password)=)[^&\s"']+/gi,
  /("?(token|password|client-key-data|clientKeyData|client-certificate-data|clientCertificateData)"?\s*[:=]\s*"?)(?!\[redacted\])[^"\s,}&]+/gi,
];

export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(MASK);
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match: string, prefix: unknown) => {
      // Patterns with a captured prefix (a key or "?token=") keep it so the line stays readable.
      if (typeof prefix === 'string' && prefix.length > 0 && !match.startsWith('-----')) {
        if (/^(bearer|basic)$/i.test(prefix)) return `${prefix} ${MASK}`;
        return `${prefix}${MASK}`;
      }
      return MASK;
    });
  }
  return out;
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const secrets = new Set<string>();
  const emit = (level: LogLevel, message: string): void => {
    write(`${new Date().toISOString()} ${level} ${redact(message, secrets)}\n`);
  };
  return {
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
    addSecret: (value) => {
      if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
    },
  };
}

/** A logger that discards everything, for tests that do not look at logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, addSecret() {} };
