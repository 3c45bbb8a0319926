import { IconClick } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState';

// TODO(events issue): replace with the events table.
export function EventsTab() {
  return (
    <EmptyState icon={<IconClick size={28} />} title="Events">
      Events are the actions your site reports, such as a click or a purchase. A/B tests count them
      as conversions to compare variants. Event management arrives with the events table.
    </EmptyState>
  );
}
