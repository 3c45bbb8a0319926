import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AnalyticsSummary, AnalyticsTimeSeries } from '@tailor/contract';
import { isApiError } from './api-error';
import { projectApi } from './project-api';

export const analyticsKeys = {
  all: (projectUid: string, uid: string) => ['projects', projectUid, 'experiences', uid, 'analytics'] as const,
  summary: (projectUid: string, uid: string, version: string | undefined) =>
    ['projects', projectUid, 'experiences', uid, 'analytics', 'summary', version ?? 'default'] as const,
  timeSeries: (projectUid: string, uid: string, query: TimeSeriesQuery) =>
    ['projects', projectUid, 'experiences', uid, 'analytics', 'time-series', query] as const,
};

export interface TimeSeriesQuery {
  version: string | undefined;
  from: string | undefined;
  to: string | undefined;
  interval: 'day' | 'hour';
}

/** "No data yet" is an answer, not a failure: both endpoints 404 with a `…NOT_FOUND` code then. */
export function isNoAnalyticsData(error: unknown): boolean {
  return isApiError(error) && error.status === 404 && (error.code?.startsWith('personalize.ANALYTICS.') ?? false);
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

const retryUnlessNoData = (count: number, error: unknown) => !isNoAnalyticsData(error) && !(isApiError(error) && error.status < 500) && count < 2;

export function useAnalyticsSummary(projectUid: string, uid: string, version: string | undefined) {
  return useQuery({
    queryKey: analyticsKeys.summary(projectUid, uid, version),
    queryFn: ({ signal }) =>
      projectApi(projectUid).get<AnalyticsSummary>(`/api/experiences/${encodeURIComponent(uid)}/analytics/summary${query({ version })}`, signal),
    retry: retryUnlessNoData,
  });
}

export function useAnalyticsTimeSeries(projectUid: string, uid: string, params: TimeSeriesQuery, enabled: boolean) {
  return useQuery({
    queryKey: analyticsKeys.timeSeries(projectUid, uid, params),
    queryFn: ({ signal }) =>
      projectApi(projectUid).get<AnalyticsTimeSeries>(
        `/api/experiences/${encodeURIComponent(uid)}/analytics/time-series${query({ ...params })}`,
        signal,
      ),
    enabled,
    retry: retryUnlessNoData,
    placeholderData: keepPreviousData,
  });
}
