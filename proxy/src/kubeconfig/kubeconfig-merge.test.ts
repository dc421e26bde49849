import { describe, expect, it } from 'vitest';
import { parseKubeconfigText } from './kubeconfig-file.ts';
import { mergeKubeconfigs } from './kubeconfig-merge.ts';

function doc(text: string, file: string) {
  const r = parseKubeconfigText(text, file);
  if (!r.ok) throw new Error(r.error);
  return r.doc;
}

const first = doc(
  `
current-context: ""
clusters:
- name: shared
  cluster: { server: "https://first.example" }
contexts:
- name: ctx
  context: { cluster: shared, user: u1 }
users:
- name: u1
  user: { token: first }
`,
  '/tmp/first/config',
);
const second = doc(
  `
current-context: from-second
clusters:
- name: shared
  cluster: { server: "https://second.example", insecure-skip-tls-verify: true }
- name: only-second
  cluster: { server: "https://only.example" }
contexts:
- name: from-second
  context: { cluster: only-second }
users:
- name: u1
  user: { token: second, username: extra }
`,
  '/tmp/second/config',
);

describe('mergeKubeconfigs (KC-02)', () => {
  it('KC-02 the first file to define a name wins the whole entry', () => {
    const m = mergeKubeconfigs([first, second]);
    expect(m.clusters.get('shared')?.value).toEqual({ server: 'https://first.example' });
    expect(m.users.get('u1')?.value).toEqual({ token: 'first' });
  });

  it('KC-02 entries with new names from later files are added, keeping their own directory (KC-03)', () => {
    const m = mergeKubeconfigs([first, second]);
    expect(m.clusters.get('only-second')?.dir).toBe('/tmp/second');
    expect([...m.contexts.keys()]).toEqual(['ctx', 'from-second']);
  });

  it('KC-02 the first non-empty current-context wins', () => {
    expect(mergeKubeconfigs([first, second]).currentContext).toBe('from-second');
    expect(mergeKubeconfigs([second, first]).currentContext).toBe('from-second');
  });
});

describe('parseKubeconfigText', () => {
  it('reports bad YAML with the file name', () => {
    const r = parseKubeconfigText('clusters: [unclosed', '/x/bad.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/\/x\/bad\.yaml: invalid YAML/);
  });

  it('rejects a list where a map is expected and entries without names', () => {
    expect(parseKubeconfigText('- a\n- b', '/x/c').ok).toBe(false);
    expect(parseKubeconfigText('clusters:\n- cluster: {server: x}', '/x/c').ok).toBe(false);
    expect(parseKubeconfigText('clusters: 3', '/x/c').ok).toBe(false);
  });

  it('treats an empty file as an empty config', () => {
    const r = parseKubeconfigText('', '/x/empty');
    expect(r.ok && r.doc.contexts.length === 0).toBe(true);
  });
});
