import type { CurrentUser, Project, ProjectUser } from '../api/types';

export function aUser(overrides: Partial<CurrentUser> = {}): CurrentUser {
  return {
    uid: 'u1',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Doe',
    orgRole: 'OWNER',
    organization: { uid: 'o1', name: 'Acme' },
    ...overrides,
  };
}

export function aProject(overrides: Partial<Project> = {}): Project {
  const uid = overrides.uid ?? '65f0c0ffee0000000000aa01';
  return {
    uid,
    _id: uid,
    name: 'Storefront',
    description: 'Personalised landing pages',
    organizationUid: 'o1',
    connectedStackApiKey: null,
    audienceCount: 2,
    activeExperienceCount: 1,
    userCount: 3,
    currentUserRole: 'OWNER',
    canManage: true,
    limits: { attributes: 100, audiences: 100, events: 100, experiences: 100, rulesPerAudience: 50, variantsPerExperience: 20, audiencesPerVariant: 50 },
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-02T10:00:00.000Z',
    createdBy: 'u1',
    updatedBy: 'u1',
    createdByUserName: 'Jane Doe',
    updatedByUserName: 'Jane Doe',
    ...overrides,
  };
}

export function aProjectUser(overrides: Partial<ProjectUser> = {}): ProjectUser {
  return {
    uid: 'u1',
    userUid: 'u1',
    name: 'Jane Doe',
    email: 'jane@example.com',
    status: 'ACCEPTED',
    role: 'OWNER',
    invitedBy: 'System',
    invitationUrl: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}
