// The session rules as a browser sees them: the printed URL sets the cookie and loses its token,
// the page can then call the proxy, and a browser without the cookie gets 401.
import { expect, test } from '@playwright/test';
import { ROUTES, SESSION_COOKIE, SESSION_QUERY_PARAM } from '../proxy/contract/api.ts';
import { readE2eState } from './harness/e2e-state.ts';

const state = readE2eState();

test('opening the printed URL sets an HttpOnly SameSite=Strict cookie and strips the token', async ({
  page,
  context,
}) => {
  await page.goto(state.url);
  expect(new URL(page.url()).searchParams.has(SESSION_QUERY_PARAM)).toBe(false);
  expect(page.url()).not.toContain(state.secret);
  const cookie = (await context.cookies(state.origin)).find((c) => c.name === SESSION_COOKIE);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  // HttpOnly: scripts on the page cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
});

test('the page can list contexts once the cookie is set', async ({ page }) => {
  await page.goto(state.url);
  const result = await page.evaluate(async (path) => {
    const res = await fetch(path);
    return {
      status: res.status,
      body: (await res.json()) as { contexts: { name: string; error?: string }[] },
    };
  }, ROUTES.contexts);
  expect(result.status).toBe(200);
  const names = result.body.contexts.map((c) => c.name);
  for (const name of state.contexts) expect(names).toContain(name);
  // KC-09: only names, server URLs and namespaces reach the browser, never credential fields.
  const allowed = ['name', 'cluster', 'server', 'namespace', 'user', 'error', 'simulated'];
  for (const c of result.body.contexts) for (const key of Object.keys(c)) expect(allowed).toContain(key);
  expect(JSON.stringify(result.body)).not.toMatch(/BEGIN|-data/);
});

test('a browser without the cookie gets 401 from the API', async ({ browser }) => {
  const fresh = await browser.newContext();
  const page = await fresh.newPage();
  await page.goto(`${state.origin}/`);
  const statuses = await page.evaluate(
    async (paths) => {
      const out: number[] = [];
      for (const p of paths) out.push((await fetch(p)).status);
      return out;
    },
    [ROUTES.contexts, '/clusters/sim-cert/api/v1/namespaces'],
  );
  expect(statuses).toEqual([401, 401]);
  await fresh.close();
});

test('responses carry the strict CSP and no CORS headers', async ({ page }) => {
  const res = await page.goto(state.url);
  const headers = res?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(Object.keys(headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
});
