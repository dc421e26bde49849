import { describe, expect, it } from 'vitest';
import { parseFieldSelector, supportedFields } from './field-selector.ts';
import { SimStatusError } from './status.ts';

const pod = {
  metadata: { name: 'web-1', namespace: 'prod' },
  spec: {
    nodeName: 'node-a',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    serviceAccountName: 'sa',
  },
  status: { phase: 'Running', podIP: '10.0.0.7' },
};

const event = {
  metadata: { name: 'ev', namespace: 'prod' },
  involvedObject: {
    kind: 'Pod',
    namespace: 'prod',
    name: 'web-1',
    uid: 'u1',
    apiVersion: 'v1',
    resourceVersion: '9',
    fieldPath: 'spec.containers{c}',
  },
  reason: 'BackOff',
  reportingComponent: 'kubelet',
  source: { component: 'kubelet' },
  type: 'Warning',
};

function rejection(input: string, group: string, resource: string): SimStatusError {
  try {
    parseFieldSelector(input, group, resource);
  } catch (err) {
    expect(err).toBeInstanceOf(SimStatusError);
    return err as SimStatusError;
  }
  throw new Error(`expected ${input} to be rejected`);
}

describe('parseFieldSelector', () => {
  it.each([
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name!=web-1', false],
    ['metadata.namespace=prod', true],
    ['spec.nodeName=node-a', true],
    ['spec.nodeName=', false],
    ['status.phase=Running,spec.nodeName=node-a', true],
    ['status.phase!=Running', false],
    ['spec.restartPolicy=Always', true],
    ['spec.schedulerName=default-scheduler', true],
    ['spec.serviceAccountName=sa', true],
    ['status.podIP=10.0.0.7', true],
  ])('pods: %j matches: %s', (selector, expected) => {
    expect(parseFieldSelector(selector, '', 'pods').matches(pod)).toBe(expected);
  });

  it('selects unscheduled pods with an empty nodeName', () => {
    const sel = parseFieldSelector('spec.nodeName=', '', 'pods');
    expect(sel.matches({ metadata: { name: 'x' }, spec: {} })).toBe(true);
  });

  it.each([
    'involvedObject.kind=Pod',
    'involvedObject.namespace=prod',
    'involvedObject.name=web-1',
    'involvedObject.uid=u1',
    'involvedObject.apiVersion=v1',
    'involvedObject.resourceVersion=9',
    'involvedObject.fieldPath=spec.containers{c}',
    'reason=BackOff',
    'reportingComponent=kubelet',
    'source=kubelet',
    'type=Warning',
  ])('events support %s', (selector) => {
    expect(parseFieldSelector(selector, '', 'events').matches(event)).toBe(true);
  });

  it('supports type on secrets', () => {
    const sel = parseFieldSelector('type=kubernetes.io/tls', '', 'secrets');
    expect(sel.matches({ type: 'kubernetes.io/tls' })).toBe(true);
    expect(sel.matches({ type: 'Opaque' })).toBe(false);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d', '', 'configmaps');
    expect(sel.requirements[0]?.value).toBe('a,b=c\\d');
    expect(sel.matches({ metadata: { name: 'a,b=c\\d' } })).toBe(true);
  });

  it('answers an unsupported field with 400 "field label not supported"', () => {
    const err = rejection('spec.nodeName=x', '', 'configmaps');
    expect(err.code).toBe(400);
    expect(err.message).toBe('field label not supported: spec.nodeName');
    expect(rejection('status.phase=x', 'apps', 'deployments').message).toContain('field label not supported');
  });

  it.each(['metadata.name', 'a=b,', '=x', 'metadata.name=a\\x'])('rejects malformed %j with 400', (input) => {
    expect(rejection(input, '', 'pods').code).toBe(400);
  });

  it('lists the supported fields per resource', () => {
    expect(supportedFields('', 'configmaps')).toEqual(['metadata.name', 'metadata.namespace']);
    expect(supportedFields('', 'pods')).toContain('status.phase');
  });
});
