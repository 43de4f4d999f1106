import './live.css';
import type { LiveState } from './use-live-events';

const LABEL: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

/** Whether the board updates by itself right now (a polite status, so a screen reader hears a drop). */
export function LiveBadge({ state }: { state: LiveState }) {
  return (
    <span className={`live-badge live-${state}`} role="status" aria-live="polite" title="Changes made elsewhere appear here by themselves while live">
      {LABEL[state]}
    </span>
  );
}
