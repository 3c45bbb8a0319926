import { Anchor, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconFlask, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Project } from '../../api/types';
import { formatTimestamp, timeAgo } from '../../components/time';
import classes from './ProjectCard.module.css';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function Stat({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <Group gap={6} wrap="nowrap">
      {icon}
      <Text size="sm">{children}</Text>
    </Group>
  );
}

export function ProjectCard({ project }: { project: Project }) {
  return (
    <Card className={classes.card} component="article" aria-labelledby={`project-${project.uid}`} h="100%">
      <Stack gap="sm" h="100%">
        <Anchor
          id={`project-${project.uid}`}
          component={Link}
          to={`/projects/${project.uid}`}
          className={classes.link}
          fw={600}
          fz="lg"
          c="var(--mantine-color-text)"
          lineClamp={1}
        >
          {project.name}
        </Anchor>
        <Text size="sm" c={project.description ? 'dimmed' : 'gray.5'} lineClamp={2} style={{ flexGrow: 1 }}>
          {project.description || 'No description'}
        </Text>
        <Group gap="lg">
          <Stat icon={<IconUsersGroup size={16} aria-hidden />}>
            {plural(project.audienceCount, 'Audience', 'Audiences')}
          </Stat>
          <Stat icon={<IconFlask size={16} aria-hidden />}>
            {plural(project.activeExperienceCount, 'Active Experience', 'Active Experiences')}
          </Stat>
          <Stat icon={<IconUsers size={16} aria-hidden />}>{plural(project.userCount, 'User', 'Users')}</Stat>
        </Group>
        <Tooltip label={formatTimestamp(project.updatedAt)} withArrow>
          <Text size="xs" c="dimmed" w="fit-content" style={{ position: 'relative', zIndex: 1 }}>
            Updated {timeAgo(project.updatedAt)}
            {project.updatedByUserName ? ` by ${project.updatedByUserName}` : ''}
          </Text>
        </Tooltip>
      </Stack>
    </Card>
  );
}
