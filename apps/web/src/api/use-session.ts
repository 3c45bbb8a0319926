import { useCallback } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { isApiError } from './api-error';
import { queryKeys } from './query-keys';
import type { CurrentUser, LoginAnswer, SetupInput, SetupStatus } from './types';

export function useSetupStatus() {
  return useQuery({
    queryKey: queryKeys.setup,
    queryFn: ({ signal }) => api.get<SetupStatus>('/api/setup', signal),
    staleTime: Infinity,
  });
}

/** `null` means "not logged in": a 401 here is an answer, not an error. */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<CurrentUser | null> {
  try {
    return await api.get<CurrentUser>('/api/user', signal);
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export function useCurrentUser() {
  return useQuery({
    queryKey: queryKeys.currentUser,
    queryFn: ({ signal }) => fetchCurrentUser(signal),
    staleTime: 5 * 60_000,
  });
}

export interface Credentials {
  email: string;
  password: string;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    // A 401 here means wrong credentials, shown inline; it is not a lost session.
    meta: { authRedirect: false },
    mutationFn: (user: Credentials) => api.post<LoginAnswer>('/api/user-session', { user }),
    // A different user may have been logged in before: nothing cached for them may survive.
    // Resetting (not clearing) refetches what is on screen, so the caller sees the new user.
    onSuccess: () => queryClient.resetQueries(),
  });
}

export function useSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { authRedirect: false },
    mutationFn: (input: SetupInput) => api.post<LoginAnswer>('/api/setup', input),
    onSuccess: () => queryClient.resetQueries(),
  });
}

const isSessionKey = (key: unknown) => key === queryKeys.currentUser[0] || key === queryKeys.setup[0];

export function useLogout() {
  return useMutation({ mutationFn: () => api.delete('/api/user-session') });
}

/** Forgets the logged-out user and everything read on their behalf. */
export function useForgetSession() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    queryClient.setQueryData(queryKeys.currentUser, null);
    queryClient.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey[0]) });
  }, [queryClient]);
}
