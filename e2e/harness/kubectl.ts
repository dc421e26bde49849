// Drive the simulated cluster the way a user would: /usr/bin/kubectl against the sim's kubeconfig
// (global-setup writes it; harness/e2e-state.ts carries its path). Every call is bounded by a
// timeout and fails with kubectl's own stderr, so a broken cluster reads as a clear error.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readE2eState, STATE_ENV } from './e2e-state.ts';

const KUBECTL = '/usr/bin/kubectl';
const TIMEOUT_MS = 15_000;

/**
 * kubectl writes its discovery cache under $HOME/.kube: keep it out of the real home, inside the
 * run's temp dir (beside the state file), which global-setup's teardown removes.
 */
function kubectlHome(): string {
  const stateFile = process.env[STATE_ENV];
  if (!stateFile)
    throw new Error(`${STATE_ENV} is not set: run the specs through playwright test (global-setup)`);
  const home = join(dirname(stateFile), 'kubectl-home');
  mkdirSync(home, { recursive: true });
  return home;
}

export interface KubectlResult {
  stdout: string;
  /** Date.now() when the kubectl process had exited: the moment "kubectl returned". */
  returnedAt: number;
}

/**
 * Run kubectl with `args` (and optional stdin). Rejects with the exit code and stderr when kubectl
 * fails or does not finish within the timeout.
 */
export function kubectl(args: readonly string[], stdin?: string): Promise<KubectlResult> {
  const { kubeconfig } = readE2eState();
  return new Promise((resolve, reject) => {
    const child = execFile(
      KUBECTL,
      [...args],
      {
        env: { ...process.env, KUBECONFIG: kubeconfig, HOME: kubectlHome() },
        timeout: TIMEOUT_MS,
        maxBuffer: 8 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const returnedAt = Date.now();
        if (error) {
          reject(new Error(`kubectl ${args.join(' ')} failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ stdout, returnedAt });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

/** A DNS-label-safe name unique within this run, e.g. `e2e-new-k3x9q`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36).slice(-4)}${Math.random().toString(36).slice(2, 6)}`;
}
