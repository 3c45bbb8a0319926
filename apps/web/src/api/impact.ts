import { useEffect } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDebouncedValue } from '@mantine/hooks';
import type { ImpactFigures, ImpactPreview } from '@tailor/contract';
import { toApiError } from './api-error';
import { csrfCookieName, readCookie } from './client';

/** What the editor would save; `definition` is the rule builder's API JSON. */
export interface ImpactProposal {
  name?: string;
  description?: string;
  definition: unknown;
}

export const impactKeys = {
  preview: (projectUid: string, audienceUid: string | undefined, revision: number | undefined, proposal: string) =>
    ['projects', projectUid, 'audiences', audienceUid ?? 'new', 'impact', revision ?? 0, proposal] as const,
};

/** POST …/impact with the query's AbortSignal: a stale preview is cancelled, not awaited. */
export async function fetchImpact(projectUid: string, audienceUid: string | undefined, proposal: ImpactProposal, signal?: AbortSignal): Promise<ImpactPreview> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'x-project-uid': projectUid };
  const csrf = readCookie(csrfCookieName);
  if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  const path = audienceUid === undefined ? '/api/audiences/impact' : `/api/audiences/${encodeURIComponent(audienceUid)}/impact`;
  const response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(proposal), signal: signal ?? null });
  const text = await response.text();
  const body = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!response.ok) throw toApiError(response.status, response.headers, body);
  return body as ImpactPreview;
}

/** The headline figures a save carries (ADR 0071). */
export function impactFigures(preview: ImpactPreview): ImpactFigures {
  return {
    sampleSize: preview.sampleSize,
    joined: preview.joined,
    left: preview.left,
    visitorsChangingVariant: preview.experiences.reduce((n, e) => n + e.visitorsChangingVariant, 0),
  };
}

export const IMPACT_DEBOUNCE_MS = 400;
const PREVIEW_STALE_MS = 30_000;

/**
 * The impact preview of a proposal, refreshed as it changes: debounced, and the previous request
 * aborted (TanStack Query cancels a query whose key is left while its `signal` is in use). The
 * last answer stays shown while the next one loads. `proposal` null (an invalid draft) pauses it.
 */
export function useImpactPreview(projectUid: string, audienceUid: string | undefined, revision: number | undefined, proposal: ImpactProposal | null, enabled = true) {
  const serialized = proposal === null ? null : JSON.stringify(proposal);
  const [debounced] = useDebouncedValue(serialized, IMPACT_DEBOUNCE_MS);
  const query = useQuery({
    // The saved version is part of the key: after a save the same draft moves nobody any more.
    queryKey: impactKeys.preview(projectUid, audienceUid, revision, debounced ?? ''),
    queryFn: ({ signal }) => fetchImpact(projectUid, audienceUid, JSON.parse(debounced ?? 'null') as ImpactProposal, signal),
    enabled: enabled && debounced !== null,
    placeholderData: keepPreviousData,
    staleTime: PREVIEW_STALE_MS,
    retry: false,
    refetchOnWindowFocus: false,
  });
  /** `requested`: the proposal (JSON) the query is for, which lags the draft by the debounce. */
  return { query, requested: debounced };
}

/**
 * Previews the saved audience when its editor opens and after each save (issue 8: the first
 * preview read the project's 50,000-visitor sample and took 759–940 ms). The server then holds
 * the sample and the saved audience's memberships that every later preview of an edit reuses,
 * and the answer is cached under the key the preview panel asks first, before any edit.
 * `savedDefinition` is the saved definition's JSON as the rule builder serializes it.
 */
export function useWarmImpactPreview(projectUid: string, audienceUid: string | undefined, revision: number | undefined, savedDefinition: string, enabled: boolean): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || audienceUid === undefined) return;
    const proposal: ImpactProposal = { definition: JSON.parse(savedDefinition) as unknown };
    void queryClient.prefetchQuery({
      queryKey: impactKeys.preview(projectUid, audienceUid, revision, JSON.stringify(proposal)),
      queryFn: ({ signal }) => fetchImpact(projectUid, audienceUid, proposal, signal),
      staleTime: PREVIEW_STALE_MS,
      retry: false,
    });
  }, [queryClient, projectUid, audienceUid, revision, savedDefinition, enabled]);
}
