import { useSyncExternalStore } from 'react';
import { accountChangeNotice, currentUser, sessionStatus, subscribe, type SessionStatus, type SessionUser } from './session';

export function useSessionUser(): SessionUser | null {
  return useSyncExternalStore(subscribe, currentUser);
}

export function useSessionStatus(): SessionStatus {
  return useSyncExternalStore(subscribe, sessionStatus);
}

export function useAccountNotice(): string | null {
  return useSyncExternalStore(subscribe, accountChangeNotice);
}
