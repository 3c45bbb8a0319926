import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Attribute, CustomAttribute, Reference } from '@tailor/contract';
import { projectApi, resourcePath } from './project-api';

export const attributeKeys = {
  all: (projectUid: string) => ['projects', projectUid, 'attributes'] as const,
  references: (projectUid: string, uid: string) => ['projects', projectUid, 'attributes', uid, 'references'] as const,
};

export interface AttributeInput {
  name: string;
  key: string;
  description: string;
}

/** Presets and custom attributes, as one bare array (presets first, as the server lists them). */
export function useAttributes(projectUid: string) {
  return useQuery({
    queryKey: attributeKeys.all(projectUid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Attribute[]>(resourcePath('attributes'), signal),
  });
}

export function useAttributeReferences(projectUid: string, uid: string, enabled = true) {
  return useQuery({
    queryKey: attributeKeys.references(projectUid, uid),
    queryFn: ({ signal }) => projectApi(projectUid).get<Reference[]>(resourcePath('attributes', uid, '/references'), signal),
    enabled,
  });
}

export function useSaveAttribute(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ uid, version, input }: { uid?: string; version?: number; input: AttributeInput }) =>
      uid === undefined
        ? projectApi(projectUid).post<CustomAttribute>(resourcePath('attributes'), input)
        : projectApi(projectUid).put<CustomAttribute>(resourcePath('attributes', uid), { ...input, version }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: attributeKeys.all(projectUid) }),
  });
}

export function useDeleteAttribute(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (uid: string) => projectApi(projectUid).delete(resourcePath('attributes', uid)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: attributeKeys.all(projectUid) }),
  });
}
