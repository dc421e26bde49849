import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.ts';
function f<T extends KubeObject>(x: T): T { return x; }
declare const p: Pod;
export const q = f(p);
