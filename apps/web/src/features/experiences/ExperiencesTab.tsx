import { IconFlask } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState';

// TODO(experiences issue): replace with the experiences table and editor.
export function ExperiencesTab() {
  return (
    <EmptyState icon={<IconFlask size={28} />} title="Experiences">
      An experience decides which variant of your content each visitor sees: a Segmented experience
      shows a variant per audience, an A/B Test splits traffic between variants and measures
      conversions. Creating and activating experiences arrives with the experience editor.
    </EmptyState>
  );
}
