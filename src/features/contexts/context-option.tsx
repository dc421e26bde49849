// One row of the context switcher: name, where it points, and its reachability. The row probes its
// context only while it is rendered (the list is virtualised), through the switcher's probe queue,
// so opening a list of hundreds of contexts costs a screenful of probes, not hundreds.
import { useQuery } from '@tanstack/react-query';
import type { CSSProperties } from 'react';
import type { ContextInfo } from '../../../proxy/contract/api.ts';
import { type ContextHealth, contextHealthQuery } from '../../react/context-health-query.ts';
import type { ContextProbeQueue } from '../../react/context-probe-queue.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';

export function healthText(
  context: ContextInfo,
  health: ContextHealth | undefined,
  pending: boolean,
): string {
  if (context.error) return `misconfigured: ${context.error}`;
  if (pending || !health) return 'connecting…';
  switch (health.state) {
    case 'connected':
      return health.version ? `connected · ${health.version}` : 'connected';
    case 'expired':
      return 'credentials expired';
    case 'forbidden':
      return 'forbidden';
    case 'unreachable':
      return `unreachable: ${health.message}`;
  }
}

export interface ContextOptionProps {
  context: ContextInfo;
  id: string;
  selected: boolean;
  active: boolean;
  isCurrent: boolean;
  queue: ContextProbeQueue;
  style: CSSProperties;
  onChoose(name: string): void;
  onHover(): void;
}

export function ContextOption(props: ContextOptionProps) {
  const { context: c, queue } = props;
  const { fetch } = useKubeEnvironment();
  const health = useQuery({ ...contextHealthQuery(fetch, c.name, { queue }), enabled: !c.error });
  const state = c.error ? 'misconfigured' : (health.data?.state ?? 'connecting');
  return (
    <div
      id={props.id}
      role="option"
      aria-selected={props.selected}
      aria-disabled={Boolean(c.error)}
      tabIndex={-1}
      className={`context-option state-${state}${props.active ? ' active' : ''}`}
      style={props.style}
      onClick={() => !c.error && props.onChoose(c.name)}
      onMouseMove={props.onHover}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !c.error) props.onChoose(c.name);
      }}
    >
      <span className="dot" aria-hidden="true" />
      <span className="context-name">
        {c.name}
        {props.isCurrent && <span className="badge">current</span>}
      </span>
      <span className="context-meta">
        {c.cluster} · {c.server} · ns {c.namespace}
      </span>
      <span className="context-state">{healthText(c, health.data, health.isPending)}</span>
    </div>
  );
}
