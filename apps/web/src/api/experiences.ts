import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Experience, Version, VersionCreateRequest, VersionWriteRequest } from '@tailor/contract';
import { projectApi } from './project-api';

export const experienceKeys = {
  all: (projectUid: string) => ['projects', projectUid, 'experiences'] as const,
  one: (projectUid: string, uid: string) => ['projects', projectUid, 'experiences', uid] as const,
  versions: (projectUid: string, uid: string) => ['projects', projectUid, 'experiences', uid, 'versions'] as const,
  priority: (projectUid: string) => ['projects', projectUid, 'experiences-priority'] as const,
};

const experiencePath = (uid?: string, suffix = '') => `/api/experiences${uid === undefined ? '' : `/${encodeURIComponent(uid)}`}${suffix}`;
const versionPath = (uid: string, versionUid?: string) =>
  experiencePath(uid, `/versions${versionUid === undefined ? '' : `/${encodeURIComponent(versionUid)}`}`);

export interface ExperienceCreateInput {
  name: string;
  description: string;
  __type: Experience['__type'];
  tags?: string[];
}

export interface ExperienceUpdateInput {
  name: string;
  description: string;
  tags: string[];
  version: number;
}

export function useExperiences(projectUid: string) {
  return useQuery({
    queryKey: experienceKeys.all(projectUid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Experience[]>(experiencePath(), signal),
  });
}

export function useExperience(projectUid: string, uid: string) {
  const queryClient = useQueryClient();
  return useQuery<Experience>({
    queryKey: experienceKeys.one(projectUid, uid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Experience>(experiencePath(uid), signal),
    placeholderData: () => queryClient.getQueryData<Experience[]>(experienceKeys.all(projectUid))?.find((e) => e.uid === uid),
  });
}

export function useVersions(projectUid: string, uid: string) {
  return useQuery({
    queryKey: experienceKeys.versions(projectUid, uid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Version[]>(versionPath(uid), signal),
    // The configuration editor owns its draft; refetching under it on focus would only confuse.
    refetchOnWindowFocus: false,
  });
}

/** After any write the list (status, priority, audiences) and the experience's own copy may change. */
function useInvalidateExperience(projectUid: string) {
  const queryClient = useQueryClient();
  return (uid?: string) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: experienceKeys.all(projectUid), exact: true }),
      queryClient.invalidateQueries({ queryKey: experienceKeys.priority(projectUid) }),
      uid === undefined ? undefined : queryClient.invalidateQueries({ queryKey: experienceKeys.one(projectUid, uid) }),
      uid === undefined ? undefined : queryClient.invalidateQueries({ queryKey: experienceKeys.versions(projectUid, uid) }),
    ]);
}

export function useCreateExperience(projectUid: string) {
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: (input: ExperienceCreateInput) => projectApi(projectUid).post<Experience>(experiencePath(), input),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateExperience(projectUid: string, uid: string) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: (input: ExperienceUpdateInput) => projectApi(projectUid).put<Experience>(experiencePath(uid), input),
    onSuccess: (experience) => queryClient.setQueryData(experienceKeys.one(projectUid, uid), experience),
    onSettled: () => invalidate(uid),
  });
}

export function useDeleteExperience(projectUid: string) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: (uid: string) => projectApi(projectUid).delete(experiencePath(uid)),
    onSuccess: (_, uid) => queryClient.removeQueries({ queryKey: experienceKeys.one(projectUid, uid) }),
    onSettled: () => invalidate(),
  });
}

export function useSavePriority(projectUid: string) {
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: (priorityOrder: string[]) =>
      projectApi(projectUid).put<{ priorityOrder: string[] }>('/api/experiences-priority', { priorityOrder }),
    onSettled: () => invalidate(),
  });
}

export function useCreateVersion(projectUid: string, uid: string) {
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: (input: VersionCreateRequest) => projectApi(projectUid).post<Version>(versionPath(uid), input),
    onSettled: () => invalidate(uid),
  });
}

export function useSaveVersion(projectUid: string, uid: string) {
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: ({ versionUid, body }: { versionUid: string; body: VersionWriteRequest }) =>
      projectApi(projectUid).put<Version>(versionPath(uid, versionUid), body),
    onSettled: () => invalidate(uid),
  });
}

export function useDeleteVersion(projectUid: string, uid: string) {
  const invalidate = useInvalidateExperience(projectUid);
  return useMutation({
    mutationFn: (versionUid: string) => projectApi(projectUid).delete(versionPath(uid, versionUid)),
    onSettled: () => invalidate(uid),
  });
}
