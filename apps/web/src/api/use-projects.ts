import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { queryKeys } from './query-keys';
import type { Project, ProjectInput } from './types';

const projectPath = (projectUid: string) => `/api/projects/${encodeURIComponent(projectUid)}`;

export function useProjects() {
  return useQuery({
    queryKey: queryKeys.projects,
    queryFn: ({ signal }) => api.get<Project[]>('/api/projects', signal),
  });
}

export function useProject(projectUid: string) {
  const queryClient = useQueryClient();
  return useQuery<Project>({
    queryKey: queryKeys.project(projectUid),
    queryFn: ({ signal }) => api.get<Project>(projectPath(projectUid), signal),
    // Opening a card shows the project at once from the list while the fresh copy loads.
    placeholderData: () =>
      queryClient.getQueryData<Project[]>(queryKeys.projects)?.find((p) => p.uid === projectUid),
  });
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProjectInput) => api.post<Project>('/api/projects', input),
    onSuccess: (project) => {
      queryClient.setQueryData(queryKeys.project(project.uid), project);
      return queryClient.invalidateQueries({ queryKey: queryKeys.projects, exact: true });
    },
  });
}

export function useUpdateProject(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ProjectInput) => api.put<Project>(projectPath(projectUid), input),
    onSuccess: (project) => {
      queryClient.setQueryData(queryKeys.project(projectUid), project);
      return queryClient.invalidateQueries({ queryKey: queryKeys.projects, exact: true });
    },
  });
}

export function useDeleteProject(projectUid: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(projectPath(projectUid)),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.project(projectUid) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.projects, exact: true });
    },
  });
}
