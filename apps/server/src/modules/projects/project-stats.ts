/**
 * Counts the project cards show but other modules own (audiences, experiences). The projects
 * module reads them through this port so it never queries another module's tables; each owner
 * plugs a source in at the composition root (services.ts).
 */
export interface ProjectStats {
  audienceCount: number;
  activeExperienceCount: number;
}

export interface ProjectStatsSource {
  /** Counts for the given projects; a project or field left out counts as 0. */
  countsFor(projectUids: readonly string[]): Promise<Map<string, Partial<ProjectStats>>>;
}

/** Sums every source, so the audiences and experiences modules can each contribute their own field. */
export async function collectStats(
  sources: readonly ProjectStatsSource[],
  projectUids: readonly string[],
): Promise<Map<string, ProjectStats>> {
  const out = new Map<string, ProjectStats>(projectUids.map((uid) => [uid, { audienceCount: 0, activeExperienceCount: 0 }]));
  if (projectUids.length === 0) return out;
  const results = await Promise.all(sources.map((source) => source.countsFor(projectUids)));
  for (const result of results) {
    for (const [uid, partial] of result) {
      const current = out.get(uid);
      if (!current) continue;
      current.audienceCount += partial.audienceCount ?? 0;
      current.activeExperienceCount += partial.activeExperienceCount ?? 0;
    }
  }
  return out;
}
