import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Audience, AudienceRevision, ImpactFigures, Reference } from '@tailor/contract';
import { projectApi, resourcePath } from './project-api';

export const audienceKeys = {
  all: (projectUid: string) => ['projects', projectUid, 'audiences'] as const,
  one: (projectUid: string, uid: string) => ['projects', projectUid, 'audiences', uid] as const,
  references: (projectUid: string, uid: string) => ['projects', projectUid, 'audiences', uid, 'references'] as const,
  revisions: (projectUid: string, uid: string) => ['projects', projectUid, 'audiences', uid, 'revisions'] as const,
  revision: (projectUid: string, uid: string, n: number) => ['projects', projectUid, 'audiences', uid, 'revisions', n] as const,
};

/** What the editor sends; `definition` is the API JSON built from the rule builder. */
export interface AudienceInput {
  name: string;
  description: string;
  definition: unknown;
  /** The impact preview's figures, when the user saw one for exactly this draft (ADR 0071). */
  impact?: ImpactFigures;
}

export function useAudiences(projectUid: string) {
  return useQuery({
    queryKey: audienceKeys.all(projectUid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Audience[]>(resourcePath('audiences'), signal),
  });
}

export function useAudience(projectUid: string, uid: string | undefined) {
  return useQuery({
    queryKey: audienceKeys.one(projectUid, uid ?? ''),
    queryFn: ({ signal }) => projectApi(projectUid).get<Audience>(resourcePath('audiences', uid), signal),
    enabled: uid !== undefined,
    // The editor owns its draft; refetching under it on focus would only confuse.
    refetchOnWindowFocus: false,
  });
}

export function useAudienceReferences(projectUid: string, uid: string | undefined, enabled = true) {
  return useQuery({
    queryKey: audienceKeys.references(projectUid, uid ?? ''),
    queryFn: ({ signal }) => projectApi(projectUid).get<Reference[]>(resourcePath('audiences', uid, '/references'), signal),
    enabled: enabled && uid !== undefined,
  });
}

export function useAudienceRevisions(projectUid: string, uid: string, enabled: boolean) {
  return useQuery({
    queryKey: audienceKeys.revisions(projectUid, uid),
    queryFn: ({ signal }) => projectApi(projectUid).get<AudienceRevision[]>(resourcePath('audiences', uid, '/revisions'), signal),
    enabled,
  });
}

export function useAudienceRevision(projectUid: string, uid: string, revision: number | null) {
  return useQuery({
    queryKey: audienceKeys.revision(projectUid, uid, revision ?? 0),
    queryFn: ({ signal }) =>
      projectApi(projectUid).get<AudienceRevision>(resourcePath('audiences', uid, `/revisions/${String(revision)}`), signal),
    enabled: revision !== null,
    staleTime: Infinity,
  });
}

export function useSaveAudience(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ uid, version, input }: { uid?: string | undefined; version?: number | undefined; input: AudienceInput }) =>
      uid === undefined
        ? projectApi(projectUid).post<Audience>(resourcePath('audiences'), input)
        : projectApi(projectUid).put<Audience>(resourcePath('audiences', uid), { ...input, version }),
    onSuccess: (audience) => {
      queryClient.setQueryData(audienceKeys.one(projectUid, audience.uid), audience);
      void queryClient.invalidateQueries({ queryKey: audienceKeys.revisions(projectUid, audience.uid) });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: audienceKeys.all(projectUid), exact: true }),
  });
}

export function useRestoreRevision(projectUid: string, uid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ revision, version }: { revision: number; version: number }) =>
      projectApi(projectUid).post<Audience>(resourcePath('audiences', uid, `/revisions/${String(revision)}/restore`), { version }),
    onSuccess: (audience) => {
      queryClient.setQueryData(audienceKeys.one(projectUid, uid), audience);
      void queryClient.invalidateQueries({ queryKey: audienceKeys.revisions(projectUid, uid) });
      void queryClient.invalidateQueries({ queryKey: audienceKeys.all(projectUid), exact: true });
    },
  });
}

export function useDeleteAudience(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (uid: string) => projectApi(projectUid).delete(resourcePath('audiences', uid)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: audienceKeys.all(projectUid), exact: true }),
  });
}
