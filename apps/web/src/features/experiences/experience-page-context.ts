import { useOutletContext } from 'react-router';
import type { Experience, Version } from '@tailor/contract';

export interface ExperiencePageContext {
  projectUid: string;
  experience: Experience;
  /** Newest first. */
  versions: Version[];
  /** The version the page shows: `?version=` if set, else the experience's latest (draft or live). */
  selected: Version;
  /** `undefined` goes back to the latest version. */
  selectVersion: (versionUid: string | undefined) => void;
  reloadVersions: () => Promise<unknown>;
  /** Owners and Members edit experiences (spec §5); false only for a role that may read, and then every write control is hidden. */
  canEdit: boolean;
}

export function useExperiencePage(): ExperiencePageContext {
  return useOutletContext<ExperiencePageContext>();
}

export function versionLabel(version: Version): string {
  const status = version.status.charAt(0) + version.status.slice(1).toLowerCase();
  return `${status} (Version ${String(version.versionNumber)})`;
}
