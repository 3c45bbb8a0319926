import type { RouteObject } from 'react-router';
import { Navigate } from 'react-router';
import { ApiReferencePage } from '../features/api-reference/ApiReferencePage';
import { AttributesTab } from '../features/attributes/AttributesTab';
import { AudiencesTab } from '../features/audiences/AudiencesTab';
import { InvitationPage } from '../features/auth/InvitationPage';
import { LoginPage } from '../features/auth/LoginPage';
import { SetupPage } from '../features/auth/SetupPage';
import { EventsTab } from '../features/events/EventsTab';
import { ConfigurationTab } from '../features/experiences/ConfigurationTab';
import { ExperiencePage } from '../features/experiences/ExperiencePage';
import { ExperiencesTab } from '../features/experiences/ExperiencesTab';
import { OverviewTab } from '../features/experiences/OverviewTab';
import { ProjectLayout } from '../features/projects/ProjectLayout';
import { ProjectsPage } from '../features/projects/ProjectsPage';
import { GeneralSettings } from '../features/settings/GeneralSettings';
import { SettingsLayout } from '../features/settings/SettingsLayout';
import { UsersSettings } from '../features/settings/UsersSettings';
import { NotFoundPage } from '../components/NotFoundPage';
import { RouteErrorPage } from '../components/RouteErrorPage';
import { AppLayout } from './AppLayout';
import { RequireAuth } from './RequireAuth';
import { SetupGate } from './SetupGate';

// The charting library is most of the console's weight and only two pages draw charts: they load
// on first visit, so the projects list and the other tabs start without it.
const analyticsTab = (): Promise<{ Component: () => React.JSX.Element }> =>
  import('../features/analytics/AnalyticsTab').then((m) => ({ Component: m.AnalyticsTab }));
const audienceEditor = (): Promise<{ Component: () => React.JSX.Element }> =>
  import('../features/audiences/AudienceEditorPage').then((m) => ({ Component: m.AudienceEditorPage }));

// Later issues replace a tab's element with their feature; the paths are what e2e tests and
// shared links rely on, so keep them stable.
export const routes: RouteObject[] = [
  {
    element: <SetupGate />,
    errorElement: <RouteErrorPage />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/invitations/:token', element: <InvitationPage /> },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppLayout />,
            children: [
              { path: '/', element: <ProjectsPage /> },
              { path: '/api-reference', element: <ApiReferencePage /> },
              {
                path: '/projects/:projectUid',
                element: <ProjectLayout />,
                children: [
                  { index: true, element: <Navigate to="experiences" replace /> },
                  { path: 'experiences', element: <ExperiencesTab /> },
                  {
                    path: 'experiences/:experienceUid',
                    element: <ExperiencePage />,
                    children: [
                      { index: true, element: <Navigate to="configuration" replace /> },
                      { path: 'overview', element: <OverviewTab /> },
                      { path: 'configuration', element: <ConfigurationTab /> },
                      { path: 'analytics', lazy: analyticsTab },
                    ],
                  },
                  { path: 'audiences', element: <AudiencesTab /> },
                  { path: 'audiences/new', lazy: audienceEditor },
                  { path: 'audiences/:audienceUid', lazy: audienceEditor },
                  { path: 'attributes', element: <AttributesTab /> },
                  { path: 'events', element: <EventsTab /> },
                  {
                    path: 'settings',
                    element: <SettingsLayout />,
                    children: [
                      { index: true, element: <Navigate to="general" replace /> },
                      { path: 'general', element: <GeneralSettings /> },
                      { path: 'users', element: <UsersSettings /> },
                    ],
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];
