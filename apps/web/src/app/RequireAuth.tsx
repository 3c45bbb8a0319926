import { Navigate, Outlet, useLocation } from 'react-router';
import { useCurrentUser } from '../api/use-session';
import { FullPageLoader } from '../components/FullPageLoader';
import { QueryError } from '../components/QueryError';
import { AuthContext } from './auth-context';
import { loginPathFor } from './return-path';

export function RequireAuth() {
  const location = useLocation();
  const currentUser = useCurrentUser();

  if (currentUser.isPending) return <FullPageLoader />;
  if (currentUser.isError) return <QueryError error={currentUser.error} onRetry={() => void currentUser.refetch()} />;
  if (currentUser.data === null) {
    return <Navigate to={loginPathFor(location.pathname + location.search)} replace />;
  }
  return (
    <AuthContext.Provider value={currentUser.data}>
      <Outlet />
    </AuthContext.Provider>
  );
}
