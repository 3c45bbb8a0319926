import { IconTags } from '@tabler/icons-react';
import { EmptyState } from '../../components/EmptyState';

// TODO(attributes issue): replace with the attributes table (presets plus custom attributes).
export function AttributesTab() {
  return (
    <EmptyState icon={<IconTags size={28} />} title="Attributes">
      Attributes describe a visitor: preset ones such as country, device and referrer, and custom
      ones your site sets through the Edge SDK. Audience rules are built from them. Attribute
      management arrives with the attributes table.
    </EmptyState>
  );
}
