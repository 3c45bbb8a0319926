import { createContext, useContext } from 'react';
import type { CurrentUser } from '../api/types';

export const AuthContext = createContext<CurrentUser | null>(null);

/** The logged-in user; only valid below `RequireAuth`, which guarantees there is one. */
export function useAuthenticatedUser(): CurrentUser {
  const user = useContext(AuthContext);
  if (user === null) throw new Error('useAuthenticatedUser must be used below <RequireAuth>');
  return user;
}

export function displayName(user: { firstName: string; lastName: string; email: string }): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return name === '' ? user.email : name;
}

/** Router state that tells the login page the user just logged out on purpose. */
export const loggedOutState = { loggedOut: true } as const;

export function isLoggedOutState(state: unknown): boolean {
  return typeof state === 'object' && state !== null && 'loggedOut' in state && state.loggedOut === true;
}
