import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/api-error';
import { queryKeys } from '../api/query-keys';

/**
 * A 401 from any request means the session is gone. Marking the current user as absent lets
 * `RequireAuth` send the visitor to the login page with the path they were on, from one place
 * instead of every screen.
 */
export function createQueryClient(): QueryClient {
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error) && error.status === 401) queryClient.setQueryData(queryKeys.currentUser, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (mutation.meta?.authRedirect === false) return;
        if (isApiError(error) && error.status === 401) queryClient.setQueryData(queryKeys.currentUser, null);
      },
    }),
    defaultOptions: {
      queries: {
        // Client errors will not fix themselves on retry; network blips and 5xx might.
        retry: (failureCount, error) =>
          !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
    },
  });
  return queryClient;
}
