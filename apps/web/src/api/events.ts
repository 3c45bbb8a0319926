import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Event, Reference } from '@tailor/contract';
import { projectApi, resourcePath } from './project-api';

export const eventKeys = {
  all: (projectUid: string) => ['projects', projectUid, 'events'] as const,
  references: (projectUid: string, uid: string) => ['projects', projectUid, 'events', uid, 'references'] as const,
};

export interface EventInput {
  key: string;
  description: string;
}

export function useEvents(projectUid: string) {
  return useQuery({
    queryKey: eventKeys.all(projectUid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Event[]>(resourcePath('events'), signal),
  });
}

export function useEventReferences(projectUid: string, uid: string, enabled = true) {
  return useQuery({
    queryKey: eventKeys.references(projectUid, uid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Reference[]>(resourcePath('events', uid, '/references'), signal),
    enabled,
  });
}

export function useSaveEvent(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ uid, version, input }: { uid?: string; version?: number; input: EventInput }) =>
      uid === undefined
        ? projectApi(projectUid).post<Event>(resourcePath('events'), input)
        : projectApi(projectUid).put<Event>(resourcePath('events', uid), { ...input, version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: eventKeys.all(projectUid) }),
  });
}

export function useDeleteEvent(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (uid: string) => projectApi(projectUid).delete(resourcePath('events', uid)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: eventKeys.all(projectUid) }),
  });
}
