// A CRD created through kubectl appears in the resource tree while the page is open (discovery is
// refetched when CRDs change), and its instances are listed with the CRD's printer columns.
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { columnTitles, keepScreenshot, openExplorer, rowWithCell } from './harness/explorer-page.ts';
import { kubectl } from './harness/kubectl.ts';

const CRD = fileURLToPath(new URL('./fixtures/gadget-crd.yaml', import.meta.url));
const GADGETS = fileURLToPath(new URL('./fixtures/gadgets.yaml', import.meta.url));
const GROUP = 'e2e.kubeglass.dev';

/** Apply the instances; the CRD may take a moment to be served, so retry a few times (bounded). */
async function applyInstances(): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await kubectl(['apply', '-f', GADGETS]);
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw last;
}

test('a CRD applied with kubectl appears in the tree and lists its instances with printer columns', async ({
  page,
}, testInfo) => {
  await openExplorer(page, 'ctx=sim-cert&r=v1/pods&ns=default');
  const tree = page.getByRole('navigation', { name: 'Resource tree' });
  await expect(tree.getByRole('button', { name: 'Pod (pods)' })).toBeVisible();
  await expect(tree.getByRole('button', { name: GROUP, exact: true })).toHaveCount(0);

  const { returnedAt } = await kubectl(['apply', '-f', CRD]);
  await applyInstances();

  // The group shows up live, without a reload; its preferred version holds the new kind.
  const group = tree.getByRole('button', { name: GROUP, exact: true });
  await expect(group).toBeVisible({ timeout: 10_000 });
  console.log(`kubectl apply CRD → group in the tree: ${Date.now() - returnedAt} ms`);
  if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
  await tree.getByRole('button', { name: 'Gadget (gadgets)' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('r')).toBe(`${GROUP}/v1/gadgets`);

  await expect(page.getByRole('grid', { name: 'gadgets', exact: true })).toBeVisible();
  const sprocket = rowWithCell(page, 'gadgets', 'sprocket');
  const flywheel = rowWithCell(page, 'gadgets', 'flywheel');
  await expect(sprocket).toBeVisible();
  await expect(flywheel).toBeVisible();
  // The server's Table columns for the CRD: Name, then the printer columns in order.
  expect(await columnTitles(page, 'gadgets')).toEqual(['Name', 'Color', 'Size', 'Age']);
  // Age's value for just-created objects is checked in explorer-live (a known bug shows <invalid>).
  await expect(sprocket.getByRole('gridcell')).toHaveText(['sprocket', 'teal', '7', /\S/]);
  await expect(flywheel.getByRole('gridcell')).toHaveText(['flywheel', 'amber', '42', /\S/]);
  await keepScreenshot(page, testInfo, 'crd-instances');

  // A change to an instance shows up in its printer column.
  await kubectl([
    'patch',
    'gadget',
    'sprocket',
    '-n',
    'default',
    '--type=merge',
    '-p',
    '{"spec":{"color":"plum"}}',
  ]);
  await expect(sprocket.getByRole('gridcell').nth(1)).toHaveText('plum');
});
