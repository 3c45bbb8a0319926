import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './query-keys';
import type { InvitationInput, ProjectRole, ProjectUser } from './types';

const base = (projectUid: string) => `/api/projects/${encodeURIComponent(projectUid)}`;

export function useProjectUsers(projectUid: string) {
  return useQuery({
    queryKey: queryKeys.projectUsers(projectUid),
    queryFn: ({ signal }) => api.get<ProjectUser[]>(`${base(projectUid)}/users`, signal),
  });
}

/** Membership changes move the project's user count too, so both caches are refreshed. */
function useInvalidateMembership(projectUid: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.projectUsers(projectUid) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.projects }),
    ]);
}

export function useInviteUsers(projectUid: string) {
  const invalidate = useInvalidateMembership(projectUid);
  return useMutation({
    mutationFn: (input: InvitationInput) => api.post<ProjectUser[]>(`${base(projectUid)}/invitations`, input),
    onSuccess: invalidate,
  });
}

export function useChangeUserRole(projectUid: string) {
  const invalidate = useInvalidateMembership(projectUid);
  return useMutation({
    mutationFn: ({ userUid, role }: { userUid: string; role: ProjectRole }) =>
      api.put<ProjectUser>(`${base(projectUid)}/users/${encodeURIComponent(userUid)}`, { role }),
    onSuccess: invalidate,
  });
}

export function useRemoveUser(projectUid: string) {
  const invalidate = useInvalidateMembership(projectUid);
  return useMutation({
    mutationFn: (userUid: string) => api.delete(`${base(projectUid)}/users/${encodeURIComponent(userUid)}`),
    onSuccess: invalidate,
  });
}

export function useRevokeInvitation(projectUid: string) {
  const invalidate = useInvalidateMembership(projectUid);
  return useMutation({
    mutationFn: (invitationUid: string) =>
      api.delete(`${base(projectUid)}/invitations/${encodeURIComponent(invitationUid)}`),
    onSuccess: invalidate,
  });
}

/** A new link for a pending invitation; the answer is the only place that link is ever shown. */
export function useReissueInvitationLink(projectUid: string) {
  const invalidate = useInvalidateMembership(projectUid);
  return useMutation({
    mutationFn: (invitationUid: string) =>
      api.post<ProjectUser>(`${base(projectUid)}/invitations/${encodeURIComponent(invitationUid)}/link`, {}),
    onSuccess: invalidate,
  });
}
