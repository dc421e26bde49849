import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir.ts';
import { ExplicitKubeconfigMissingError, kubeconfigSources } from './kubeconfig-sources.ts';

const tmp = makeTempDir();
afterAll(() => tmp.remove());
const a = tmp.write('a.yaml', 'clusters: []');
const b = tmp.write('b.yaml', 'clusters: []');
const home = tmp.path;
const homeConfig = tmp.write('.kube/config', 'clusters: []');

describe('kubeconfigSources (KC-01)', () => {
  it('KC-01 uses an explicit path alone, ignoring KUBECONFIG', () => {
    const s = kubeconfigSources({ explicit: a, envList: `${b}`, home });
    expect(s.files).toEqual([a]);
  });

  it('KC-01 an explicit path that does not exist is an error', () => {
    expect(() => kubeconfigSources({ explicit: `${tmp.path}/nope.yaml` })).toThrow(
      ExplicitKubeconfigMissingError,
    );
  });

  it('KC-01 splits KUBECONFIG, drops duplicates and empty entries, skips missing files', () => {
    const missing = `${tmp.path}/missing.yaml`;
    const s = kubeconfigSources({ envList: `${b}::${a}:${b}:${missing}`, home, separator: ':' });
    expect(s.files).toEqual([b, a]);
    expect(s.watched).toEqual([b, a, missing]);
    expect(s.warnings).toEqual([]);
  });

  it('KC-01 warns only when every listed file is missing', () => {
    const s = kubeconfigSources({ envList: `${tmp.path}/x:${tmp.path}/y`, separator: ':' });
    expect(s.files).toEqual([]);
    expect(s.warnings[0]).toMatch(/none of the KUBECONFIG files exist/);
  });

  it('KC-01 falls back to ~/.kube/config', () => {
    expect(kubeconfigSources({ home }).files).toEqual([homeConfig]);
    expect(kubeconfigSources({ home: `${tmp.path}/nohome` }).files).toEqual([]);
  });
});
