import { useSyncExternalStore } from 'react';
import { currentUser, subscribe, type SessionUser } from './session';

export function useSessionUser(): SessionUser | null {
  return useSyncExternalStore(subscribe, currentUser);
}
