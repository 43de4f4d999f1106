import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { accessToken, signOut } from '../auth/session';
import { backoffMs, everyKey, parseFrames, staleKeys } from './live-events';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Keeps the clinic's boards current: one stream per screen that shows a clinic, each event invalidating
 * the queries it touches. A stream that ends or fails is reopened with back-off (with the token current
 * then); after any gap everything is refetched, since changes may have been missed.
 */
export function useLiveEvents(locationId: string | undefined): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    if (!locationId) return;
    const abort = new AbortController();
    let attempt = 0;
    let connectedBefore = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const invalidate = (keys: unknown[][]) => {
      for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
    };

    async function connect(): Promise<void> {
      const token = accessToken();
      if (!token) return;
      try {
        const response = await fetch(`/api/events?locationId=${encodeURIComponent(locationId!)}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: abort.signal,
          cache: 'no-store',
        });
        if (response.status === 401) return signOut('expired');
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const { events, rest } = parseFrames(buffer + value);
          buffer = rest;
          for (const event of events) {
            if (event.event === 'ready') {
              attempt = 0;
              setState('live');
              if (connectedBefore) invalidate(everyKey(locationId!));
              connectedBefore = true;
            } else if (event.event === 'reset') invalidate(everyKey(locationId!));
            else invalidate(staleKeys(locationId!, event));
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      if (abort.signal.aborted) return;
      setState('reconnecting');
      retry = setTimeout(() => void connect(), backoffMs(attempt++));
    }

    setState('connecting');
    void connect();
    return () => {
      abort.abort();
      clearTimeout(retry);
    };
  }, [locationId, queryClient]);

  return state;
}
