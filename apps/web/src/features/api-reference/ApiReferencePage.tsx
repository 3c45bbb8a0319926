import { Anchor, Container, Group, Paper, Tabs, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useState } from 'react';

// The server renders each OpenAPI document with Swagger UI (a maintained renderer); embedding it
// keeps the reference in the console without bundling a second UI framework into this app.
// The trailing slash matters: Swagger UI loads its assets by relative paths (`./static/...`).
const documents = {
  management: { label: 'Management API', docs: '/api/docs/', json: '/api/openapi' },
  edge: { label: 'Edge API', docs: '/edge/docs/', json: '/edge/openapi' },
} as const;

type DocumentKey = keyof typeof documents;

export function ApiReferencePage() {
  const [active, setActive] = useState<DocumentKey>('management');
  const doc = documents[active];

  return (
    <Container size="xl" py="md">
      <Group justify="space-between" align="flex-end" mb="md">
        <div>
          <Title order={1} size="h2">
            API reference
          </Title>
          <Text c="dimmed" size="sm">
            The Management API manages projects and their resources; the Edge API decides variants per visitor.
          </Text>
        </div>
        <Group gap="md">
          <Anchor href={doc.json} target="_blank" rel="noreferrer" size="sm">
            OpenAPI JSON
          </Anchor>
          <Anchor href={doc.docs} target="_blank" rel="noreferrer" size="sm">
            <Group gap={4}>
              Open in new tab <IconExternalLink size={14} />
            </Group>
          </Anchor>
        </Group>
      </Group>
      <Tabs value={active} onChange={(value) => setActive(value === 'edge' ? 'edge' : 'management')} mb="md">
        <Tabs.List>
          <Tabs.Tab value="management">Management</Tabs.Tab>
          <Tabs.Tab value="edge">Edge</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <iframe
          key={active}
          title={`${doc.label} reference`}
          src={doc.docs}
          style={{ display: 'block', width: '100%', height: 'calc(100vh - 220px)', minHeight: 480, border: 0, background: 'white' }}
        />
      </Paper>
    </Container>
  );
}
