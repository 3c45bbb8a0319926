import type { FormEvent } from 'react';
import { useState } from 'react';
import { Alert, Button, Group, Input, Modal, Select, Stack, TagsInput, Text, Textarea } from '@mantine/core';
import { formErrorOf, fieldErrorOf } from '../../api/form-errors';
import type { ProjectRole, ProjectUser } from '../../api/types';
import { useInviteUsers } from '../../api/use-project-users';
import { notifyError, notifySuccess } from '../../components/notify';
import { InvitationLinks } from './InvitationLinks';
import { parseEmails } from './parse-emails';

const roles: { value: ProjectRole; label: string }[] = [
  { value: 'MEMBER', label: 'Member' },
  { value: 'OWNER', label: 'Owner' },
];

export function InviteUserModal({ projectUid, opened, onClose }: { projectUid: string; opened: boolean; onClose: () => void }) {
  const invite = useInviteUsers(projectUid);
  const [emails, setEmails] = useState<string[]>([]);
  const [pending, setPending] = useState('');
  const [message, setMessage] = useState('');
  const [role, setRole] = useState<ProjectRole>('MEMBER');
  const [emailError, setEmailError] = useState<string>();
  const [created, setCreated] = useState<ProjectUser[] | null>(null);

  const close = () => {
    setEmails([]);
    setPending('');
    setMessage('');
    setRole('MEMBER');
    setEmailError(undefined);
    setCreated(null);
    invite.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseEmails(emails, pending);
    setEmails([...parsed.emails, ...parsed.invalid]);
    setPending('');
    if (parsed.invalid.length > 0) return setEmailError(`Not a valid email address: ${parsed.invalid.join(', ')}`);
    if (parsed.emails.length === 0) return setEmailError('Enter at least one email address');
    setEmailError(undefined);
    const text = message.trim();
    invite.mutate(
      { emails: parsed.emails, role, ...(text ? { message: text } : {}) },
      {
        onSuccess: (rows) => {
          setCreated(rows);
          notifySuccess(rows.length === 1 ? 'Invitation created successfully' : 'Invitations created successfully');
        },
        onError: (error) => notifyError(error, 'Could not invite'),
      },
    );
  };

  // The server may blame the list or one entry of it (`emails[1]`); both belong under the field.
  const emailPaths = ['emails', ...emails.flatMap((_, i) => [`emails[${i}]`, `emails.${i}`])];
  const serverEmailError = fieldErrorOf(invite.error, ...emailPaths);
  const formError = serverEmailError ? undefined : formErrorOf(invite.error, emailPaths);

  return (
    <Modal opened={opened} onClose={close} title={created ? 'Share the invitation links' : 'Invite User'} centered size="lg">
      {created ? (
        <Stack gap="md">
          <Text size="sm">
            Tailor does not send email. Send each person their link; it lets them create an account (or log in) and join the project.
          </Text>
          <InvitationLinks invitations={created} />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={onSubmit}>
          <Stack gap="sm">
            {/* The label sits on a wrapper: given to TagsInput it would also name the (unused)
                suggestions listbox, and "Email Addresses" must find exactly one control. */}
            <Input.Wrapper
              id="invite-emails"
              label="Email Addresses"
              description="Press Enter or comma after each address"
              required
              error={emailError ?? serverEmailError}
            >
              <TagsInput
                id="invite-emails"
                data-autofocus
                value={emails}
                onChange={(value) => {
                  setEmails(value);
                  setEmailError(undefined);
                }}
                searchValue={pending}
                onSearchChange={setPending}
                splitChars={[',', ' ', ';']}
                error={Boolean(emailError ?? serverEmailError)}
              />
            </Input.Wrapper>
            <Textarea label="Message" autosize minRows={2} maxRows={6} value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
            <Select
              label="Role"
              data={roles}
              value={role}
              onChange={(value) => setRole(value === 'OWNER' ? 'OWNER' : 'MEMBER')}
              allowDeselect={false}
            />
            {formError && (
              <Alert color="red" role="alert">
                {formError}
              </Alert>
            )}
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={invite.isPending}>
                Invite
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
