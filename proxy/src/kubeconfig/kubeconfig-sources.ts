// Which files make up the kubeconfig (KC-01): an explicit path alone; else the KUBECONFIG list
// (duplicates dropped, empty entries and missing files skipped); else ~/.kube/config.
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export interface SourceOptions {
  /** --kubeconfig: must exist and is used alone (no merging). */
  explicit?: string | undefined;
  /** The KUBECONFIG environment value. */
  envList?: string | undefined;
  home?: string | undefined;
  /** Path-list separator; the OS one by default. */
  separator?: string;
}

export interface KubeconfigSources {
  /** Files to load, in precedence order (first definition of a name wins, KC-02). */
  files: string[];
  /** All candidate files, including missing ones: watched so a file that appears is picked up. */
  watched: string[];
  warnings: string[];
}

export class ExplicitKubeconfigMissingError extends Error {
  override readonly name = 'ExplicitKubeconfigMissingError';
}

export function kubeconfigSources(opts: SourceOptions): KubeconfigSources {
  if (opts.explicit) {
    const file = resolve(opts.explicit);
    if (!existsSync(file)) throw new ExplicitKubeconfigMissingError(`--kubeconfig ${file} does not exist`);
    return { files: [file], watched: [file], warnings: [] };
  }
  if (opts.envList) {
    const seen = new Set<string>();
    for (const entry of opts.envList.split(opts.separator ?? delimiter)) {
      if (entry.trim() === '') continue;
      seen.add(resolve(entry));
    }
    const watched = [...seen];
    const files = watched.filter((f) => existsSync(f));
    const warnings =
      watched.length > 0 && files.length === 0
        ? [`none of the KUBECONFIG files exist: ${watched.join(', ')}`]
        : [];
    return { files, watched, warnings };
  }
  if (opts.home) {
    const file = join(opts.home, '.kube', 'config');
    return { files: existsSync(file) ? [file] : [], watched: [file], warnings: [] };
  }
  return { files: [], watched: [], warnings: [] };
}
