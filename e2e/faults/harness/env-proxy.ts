// A proxy of our own for an environment fault: the built proxy (dist/proxy/main.js) started on a
// kubeconfig the spec wrote, in front of the simulated cluster global-setup runs. Each spec gets
// a fresh proxy, so the shared one (and the other specs) never see these odd kubeconfigs.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { SESSION_QUERY_PARAM } from '../../../proxy/contract/api.ts';
import { spawnUntilReady } from '../../harness/child-process.ts';

export interface EnvProxy {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** origin + /?token=SECRET */
  url: string;
  /** A scratch directory for this proxy's kubeconfig and plugins; removed by stop(). */
  dir: string;
  /** Everything the proxy wrote to stderr so far (warnings name failing contexts). */
  stderr(): string;
  stop(): Promise<void>;
}

/** A scratch directory for a spec (kubeconfig, exec plugins), under the OS temp dir. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kubeglass-${prefix}-`));
}

/** Start the built proxy on `kubeconfig` (port 0, no browser). `dir` is removed on stop(). */
export async function startEnvProxy(kubeconfig: string, dir: string): Promise<EnvProxy> {
  const secret = randomBytes(32).toString('base64url');
  const proc = await spawnUntilReady(process.execPath, ['dist/proxy/main.js', '--no-open', '--port', '0'], {
    env: { ...process.env, KUBECONFIG: kubeconfig, KUBEGLASS_SESSION_SECRET: secret, HOME: dir },
    readyPrefix: 'kubeglass ready:',
    timeoutMs: 30_000,
    name: 'fault proxy',
  });
  let stderr = '';
  proc.child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-20_000);
  });
  const url = new URL(proc.ready);
  return {
    origin: url.origin,
    url: proc.ready,
    dir,
    stderr: () => stderr,
    stop: async () => {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open the printed URL (session cookie), then the deep link `query` if given. */
export async function openThrough(page: Page, proxy: EnvProxy, query?: string): Promise<void> {
  await page.goto(proxy.url);
  await expect.poll(() => new URL(page.url()).searchParams.has(SESSION_QUERY_PARAM)).toBe(false);
  if (query !== undefined) await page.goto(`${proxy.origin}/?${query}`);
}

/** What a message on screen says, as a user reads it (rendered text, whitespace collapsed), for the ledger. */
export async function saidBy(locator: Locator): Promise<string> {
  return (await locator.allInnerTexts()).join(' ').replace(/\s+/g, ' ').trim();
}
