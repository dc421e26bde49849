import { describe, expect, it } from 'vitest';
import {
  bodyMediaType,
  negotiateDiscovery,
  negotiateObjectOutput,
  parseAccept,
} from './content-negotiation.ts';

describe('content negotiation', () => {
  it('parses media ranges with parameters in order', () => {
    expect(parseAccept('application/json;as=Table;v=v1;g=meta.k8s.io, application/json')).toEqual([
      { type: 'application/json', params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' } },
      { type: 'application/json', params: {} },
    ]);
    expect(parseAccept(undefined)).toEqual([]);
  });

  it.each([
    [undefined, 'json'],
    ['application/json', 'json'],
    ['*/*', 'json'],
    ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json', 'table'],
    ['application/json;as=Table;v=v1beta1;g=meta.k8s.io', 'table'],
    ['application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', 'partial'],
    ['application/vnd.kubernetes.protobuf,application/json', 'json'],
    ['application/json;as=Table;v=v2;g=meta.k8s.io,application/json', 'json'],
    ['application/yaml', undefined],
    ['application/vnd.kubernetes.protobuf', undefined],
  ])('RC-08: %s → %s', (accept, expected) => {
    expect(negotiateObjectOutput(accept)).toBe(expected);
  });

  it.each([
    ['application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'v2'],
    ['application/json;as=APIGroupDiscoveryList;v=v2beta1;g=apidiscovery.k8s.io', 'v2beta1'],
    [
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer,application/json',
      'v2',
    ],
    ['application/json', undefined],
    ['application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList', undefined],
  ])('DI-01/DI-02: %s → %s', (accept, expected) => {
    expect(negotiateDiscovery(accept)).toBe(expected);
  });

  it('reduces a Content-Type to its media type', () => {
    expect(bodyMediaType('Application/JSON; charset=utf-8')).toBe('application/json');
    expect(bodyMediaType(undefined)).toBe('');
  });
});
