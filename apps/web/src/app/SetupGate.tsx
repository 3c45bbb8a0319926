import { Navigate, Outlet, useLocation } from 'react-router';
import { useSetupStatus } from '../api/use-session';
import { FullPageLoader } from '../components/FullPageLoader';
import { QueryError } from '../components/QueryError';

/** Until the organization owner exists, the first-run screen is the only page that makes sense. */
export function SetupGate() {
  const location = useLocation();
  const setup = useSetupStatus();

  if (setup.isPending) return <FullPageLoader />;
  if (setup.isError) return <QueryError error={setup.error} onRetry={() => void setup.refetch()} />;
  if (setup.data.needsSetup && location.pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (!setup.data.needsSetup && location.pathname === '/setup') return <Navigate to="/" replace />;
  return <Outlet />;
}
