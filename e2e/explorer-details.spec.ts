// Object details: selecting a pod shows its details panel, the YAML view and its owner as a link;
// following the link opens the owning ReplicaSet's details, which lists the pod among its children.
import { expect, test } from '@playwright/test';
import { keepScreenshot, openExplorer, rowWithCell } from './harness/explorer-page.ts';
import { kubectl, uniqueName } from './harness/kubectl.ts';

interface Owner {
  namespace: string;
  name: string;
  uid: string;
}

/** A seeded ReplicaSet to own our pod (the churn engine drives only the pods it created itself). */
async function someReplicaSet(): Promise<Owner> {
  const { stdout } = await kubectl(['get', 'replicasets', '--all-namespaces', '-o', 'json']);
  const list = JSON.parse(stdout) as {
    items: { metadata: { namespace?: string; name?: string; uid?: string } }[];
  };
  const rs = list.items.find((i) => i.metadata.namespace && i.metadata.name && i.metadata.uid);
  if (!rs?.metadata.namespace || !rs.metadata.name || !rs.metadata.uid)
    throw new Error('the simulated cluster has no ReplicaSet to own the test pod');
  return { namespace: rs.metadata.namespace, name: rs.metadata.name, uid: rs.metadata.uid };
}

test('selecting a pod shows its details, YAML and owner link; the link opens the owner', async ({
  page,
}, testInfo) => {
  const owner = await someReplicaSet();
  const name = uniqueName('e2e-owned');
  await kubectl(
    ['create', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: owner.namespace,
        labels: { 'kubeglass.dev/e2e': 'details' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.name, uid: owner.uid, controller: true },
        ],
      },
      spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
    }),
  );

  await openExplorer(page, `ctx=sim-cert&r=v1/pods&ns=${owner.namespace}`);
  await rowWithCell(page, 'pods', name).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('o')).toBe(`${owner.namespace}/${name}`);

  const details = page.getByRole('complementary', { name: 'Object details' });
  await expect(details.getByRole('heading', { name, exact: true })).toBeVisible();
  await expect(details.getByRole('region', { name: 'Labels' })).toContainText('kubeglass.dev/e2e');
  const ownerLink = details.getByRole('region', { name: 'Owners' }).getByRole('button', {
    name: `ReplicaSet ${owner.name}`,
  });
  await expect(ownerLink).toBeVisible();

  await details.getByRole('tab', { name: 'YAML' }).click();
  const yaml = details.getByRole('region', { name: `YAML of ${name}` });
  await expect(yaml).toContainText('kind: Pod');
  await expect(yaml).toContainText(`name: ${name}`);
  await expect(yaml).toContainText(`uid: ${owner.uid}`);
  await keepScreenshot(page, testInfo, 'details-yaml');

  await details.getByRole('tab', { name: 'Overview' }).click();
  await ownerLink.click();
  await expect.poll(() => new URL(page.url()).searchParams.get('r')).toBe('apps/v1/replicasets');
  await expect.poll(() => new URL(page.url()).searchParams.get('o')).toBe(`${owner.namespace}/${owner.name}`);
  await expect(page.getByRole('grid', { name: 'replicasets', exact: true })).toBeVisible();
  await expect(details.getByRole('heading', { name: owner.name, exact: true })).toBeVisible();
  // The owner's children come from the pods informer's owner index: our pod is among them.
  await expect(
    details.getByRole('region', { name: 'Children' }).getByRole('button', { name, exact: true }),
  ).toBeVisible();
  await keepScreenshot(page, testInfo, 'details-owner');
});
