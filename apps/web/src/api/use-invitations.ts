import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './query-keys';
import type { AcceptInvitationAnswer, AcceptInvitationInput, Invitation } from './types';

const path = (token: string) => `/api/invitations/${encodeURIComponent(token)}`;

export function useInvitation(token: string) {
  return useQuery({
    queryKey: queryKeys.invitation(token),
    queryFn: ({ signal }) => api.get<Invitation>(path(token), signal),
    retry: false,
  });
}

export function useAcceptInvitation(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AcceptInvitationInput) => api.post<AcceptInvitationAnswer>(`${path(token)}/accept`, input),
    meta: { authRedirect: false },
    // Accepting logs in as the invitee, who may differ from whoever was logged in. The invitation
    // itself is left alone: refetching a used token would turn this page into an error.
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: queryKeys.projects });
      await queryClient.resetQueries({ queryKey: queryKeys.currentUser });
    },
  });
}
