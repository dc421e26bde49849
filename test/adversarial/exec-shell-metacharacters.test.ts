// A kubeconfig whose exec credential plugin carries shell metacharacters in its args, its env and
// its command string. The proxy must start the plugin directly (no shell): the args arrive byte
// for byte in the plugin's argv, the env value arrives unexpanded, and no payload ever runs.
// Every payload would create a canary file if a shell had interpreted it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printSummary, recordFigures } from './adversarial-summary.ts';
import {
  EXEC_TOKEN,
  type HostileProxy,
  pluginRuns,
  shellPayloads,
  startHostileProxy,
} from './hostile-proxy.ts';
import { rawRequest } from './raw-http.ts';

const PART = 'exec-shell-metacharacters';
let h: HostileProxy;
let tried = 0;
let refused = 0;

beforeAll(async () => {
  h = await startHostileProxy();
});
afterAll(async () => {
  await h?.close();
  recordFigures(PART, { hostileTried: tried, hostileRefused: refused });
  printSummary(PART);
});

const get = (context: string) =>
  rawRequest(
    h.port,
    [
      `GET /clusters/${context}/api/v1/pods HTTP/1.1`,
      `Host: 127.0.0.1:${h.port}`,
      `Authorization: Bearer ${h.secret}`,
      'Connection: close',
    ].join('\r\n'),
    '',
    8_000,
  );

describe('exec plugin fields with shell metacharacters (issue 6)', () => {
  it('args and env reach the plugin verbatim and no payload runs', async () => {
    const reply = await get('shell');
    tried++;
    const runs = pluginRuns(h.argvLog);
    const expected = shellPayloads(h.canaryDir);
    const ok =
      reply.status === 200 &&
      runs.length === 1 &&
      JSON.stringify(runs[0]?.argv) === JSON.stringify(expected.args) &&
      runs[0]?.env === expected.env &&
      h.canariesFound().length === 0;
    if (ok) refused++;
    expect(reply.status).toBe(200);
    expect(runs).toEqual([{ argv: expected.args, env: expected.env }]);
    expect(h.canariesFound()).toEqual([]);
    // The credential it printed is what the upstream saw.
    expect(h.tls.requests.at(-1)?.headers.authorization).toMatch(/^Bearer adversarial-exec-token/);
  });

  it('a command string carrying "; other command" is one (missing) program name, not two commands', async () => {
    const runsBefore = pluginRuns(h.argvLog).length;
    const tlsBefore = h.tls.requests.length;
    const reply = await get('shell-command');
    tried++;
    const ok =
      reply.status === 502 &&
      pluginRuns(h.argvLog).length === runsBefore &&
      h.tls.requests.length === tlsBefore &&
      h.canariesFound().length === 0;
    if (ok) refused++;
    expect(reply.status).toBe(502);
    expect(JSON.parse(reply.body)).toMatchObject({ kind: 'Status', code: 502 });
    expect(pluginRuns(h.argvLog)).toHaveLength(runsBefore);
    expect(h.tls.requests.length).toBe(tlsBefore);
    expect(h.canariesFound()).toEqual([]);
  });

  it('every shell payload was refused, and the logs hold neither the session secret nor the exec token', () => {
    expect(refused).toBe(tried);
    const log = h.logs.join('\n');
    expect(log).not.toContain(h.secret);
    expect(log).not.toContain(EXEC_TOKEN);
  });
});
