// Exec credential plugins for the environment-fault specs: small node scripts written into a
// scratch dir. Each run appends a line to `<script>.runs` before doing anything else, so a spec
// can count how often the proxy ran it (a retry loop shows up as a growing count).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type PluginBehaviour =
  /** Print an ExecCredential with this token, valid for an hour by its own account. */
  | { kind: 'token'; token: string }
  /** Never print; exit only after two minutes (the proxy must kill it long before). */
  | { kind: 'hang' }
  /** Write `stderr` and exit with `code`. */
  | { kind: 'fail'; stderr: string; code: number };

export interface ExecPlugin {
  /** Absolute path of the script (run as `node <script>`). */
  script: string;
  /** How many times it has been started so far. */
  runs(): number;
}

function body(behaviour: PluginBehaviour): string {
  switch (behaviour.kind) {
    case 'token': {
      const credential = {
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: behaviour.token, expirationTimestamp: '__EXPIRY__' },
      };
      return `const c = ${JSON.stringify(credential)};
c.status.expirationTimestamp = new Date(Date.now() + 3600_000).toISOString();
process.stdout.write(JSON.stringify(c));\n`;
    }
    case 'hang':
      // Far longer than the proxy's exec timeout, yet bounded: a run the proxy never killed (a
      // spec that failed early) still ends by itself.
      return 'setInterval(() => {}, 1000);\nsetTimeout(() => process.exit(1), 120_000);\n';
    case 'fail':
      return `process.stderr.write(${JSON.stringify(behaviour.stderr)});\nprocess.exitCode = ${behaviour.code};\n`;
  }
}

export function writeExecPlugin(dir: string, name: string, behaviour: PluginBehaviour): ExecPlugin {
  const script = join(dir, `${name}.mjs`);
  const runsFile = `${script}.runs`;
  writeFileSync(
    script,
    `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(runsFile)}, 'run\\n');\n${body(behaviour)}`,
    { mode: 0o700 },
  );
  return {
    script,
    runs: () =>
      existsSync(runsFile) ? readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).length : 0,
  };
}
