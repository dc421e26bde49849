// Bad input never crashes the server and never corrupts the store: for arbitrary methods, paths,
// queries and bodies, handle() resolves; every failure is a Status with a code and reason (TE-01);
// and a failed request leaves the resourceVersion where it was.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimCluster } from './sim-cluster.ts';
import { bodyText, buildSimRequest } from './sim-request-builder.ts';

const PATHS = [
  '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods/a',
  '/api/v1/namespaces/default/pods/a/status',
  '/api/v1/namespaces/default/configmaps/a',
  '/apis/apps/v1/namespaces/default/deployments/d/scale',
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  '/api/v1/namespaces',
  '/api/v1/nodes/n',
  '/apis',
  '/api/v1/pods',
];

const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 40 }),
  fc.json({ maxDepth: 3 }),
  fc
    .record(
      {
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'x'),
        kind: fc.constantFrom('Pod', 'ConfigMap', 'Deployment', 'Scale', 'CustomResourceDefinition', ''),
        metadata: fc.record(
          {
            name: fc.constantFrom('a', 'd', 'n', '', 'Bad Name'),
            labels: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })),
          },
          { requiredKeys: [] },
        ),
        spec: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);

const query = fc.dictionary(
  fc.constantFrom(
    'labelSelector',
    'fieldSelector',
    'limit',
    'continue',
    'resourceVersion',
    'resourceVersionMatch',
    'dryRun',
    'includeObject',
  ),
  fc.string({ maxLength: 12 }),
  { maxKeys: 3 },
);

describe('bad input', () => {
  it('is always answered, failures are Status objects, and failed requests change nothing', async () => {
    const cluster = createSimCluster();
    cluster.create(
      { group: '', version: 'v1', resource: 'pods' },
      { metadata: { name: 'a', namespace: 'default' } },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        fc.constantFrom(...PATHS),
        query,
        body,
        fc.constantFrom(
          'application/json',
          'application/merge-patch+json',
          'application/json-patch+json',
          'application/strategic-merge-patch+json',
          'text/plain',
        ),
        async (method, path, q, raw, contentType) => {
          const before = cluster.resourceVersion();
          const res = await cluster.handle(
            buildSimRequest(path, {
              method,
              query: q,
              headers: { 'content-type': contentType },
              ...(raw !== undefined ? { rawBody: raw } : {}),
            }),
          );
          expect(res.status).toBeGreaterThanOrEqual(200);
          if (res.status >= 400) {
            const status = JSON.parse(await bodyText(res.body)) as {
              kind: string;
              code: number;
              reason: string;
            };
            expect(status.kind).toBe('Status');
            expect(status.code).toBe(res.status);
            expect(status.reason).not.toBe('');
            expect(cluster.resourceVersion()).toBe(before);
            expect(status.reason).not.toBe('InternalError');
          }
        },
      ),
      { numRuns: 300 },
    );
    // The store still answers coherently afterwards.
    const list = await cluster.handle(buildSimRequest('/api/v1/pods'));
    expect(list.status).toBe(200);
  });
});
