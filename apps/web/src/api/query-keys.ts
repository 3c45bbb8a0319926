// One place for cache keys, so invalidations after a write cannot drift from the reads.
export const queryKeys = {
  setup: ['setup'] as const,
  currentUser: ['current-user'] as const,
  projects: ['projects'] as const,
  project: (projectUid: string) => ['projects', projectUid] as const,
  projectUsers: (projectUid: string) => ['projects', projectUid, 'users'] as const,
  invitation: (token: string) => ['invitations', token] as const,
};
