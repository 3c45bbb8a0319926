/**
 * Callbacks given to `mutate` are dropped when the component unmounts first, and the editors here
 * remount on every saved server copy; so the toasts and follow-ups hang on the promise instead.
 */
export function runMutation<TData, TVariables>(
  mutation: { mutateAsync: (variables: TVariables) => Promise<TData> },
  variables: TVariables,
  handlers: { onSuccess?: (data: TData) => void; onError?: (error: unknown) => void },
): void {
  mutation.mutateAsync(variables).then(
    (data) => handlers.onSuccess?.(data),
    (error: unknown) => handlers.onError?.(error),
  );
}
