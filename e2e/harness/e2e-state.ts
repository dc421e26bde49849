// What global-setup hands to the specs: where the proxy listens and its session secret. Written
// to a JSON file in a temp dir whose path travels in KUBEGLASS_E2E_STATE (env set in global
// setup reaches the workers).
import { readFileSync } from 'node:fs';

export const STATE_ENV = 'KUBEGLASS_E2E_STATE';

export interface E2eState {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** The printed URL: origin + /?token=SECRET */
  url: string;
  secret: string;
  /** Contexts the sim's kubeconfig defines (sim-cert, sim-token, sim-viewer). */
  contexts: string[];
  /**
   * The simulated cluster's kubeconfig (the one the proxy serves), for driving the cluster with
   * /usr/bin/kubectl (harness/kubectl.ts). Its current context is sim-cert (an admin).
   */
  kubeconfig: string;
}

export function readE2eState(): E2eState {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error(`${STATE_ENV} is not set: run the specs through playwright test (global-setup)`);
  return JSON.parse(readFileSync(file, 'utf8')) as E2eState;
}
