import { IconUsersGroup } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState';

// TODO(audiences issue): replace with the audiences table and rule editor.
export function AudiencesTab() {
  return (
    <EmptyState icon={<IconUsersGroup size={28} />} title="Audiences">
      Audiences define who sees a variant: rules over attributes such as country, device or your
      own custom attributes, combined with AND and OR. Audience management arrives with the
      audience editor.
    </EmptyState>
  );
}
