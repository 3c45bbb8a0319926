import { expect, test } from '@playwright/test';
import { E2E_ADMIN } from './support/constants.js';
import { logIn, snap } from './support/helpers.js';

test('an owner creates a project, renames it, invites a member who sees settings read-only', async ({ browser, page }) => {
  const projectName = `Storefront ${Date.now().toString(36)}`;
  await page.goto('/');
  await snap(page, 'foundation-01-login');
  await logIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await snap(page, 'foundation-02-projects');

  await page.getByRole('button', { name: 'New Personalize Project' }).first().click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('Name').fill(projectName);
  await modal.getByLabel('Description').fill('Personalized storefront for returning buyers');
  await snap(page, 'foundation-03-new-project-modal');
  await modal.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('Project created successfully')).toBeVisible();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f]{24}/);
  await snap(page, 'foundation-04-project');

  for (const tab of ['Audiences', 'Attributes', 'Events', 'Experiences']) {
    await page.getByRole('link', { name: tab, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/${tab.toLowerCase()}`));
  }

  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const renamed = `${projectName} EU`;
  await page.getByLabel('Name').fill(renamed);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Project updated successfully')).toBeVisible();
  await snap(page, 'foundation-05-settings-general');

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Invite User' }).click();
  const invite = page.getByRole('dialog');
  const memberEmail = `member-${Date.now().toString(36)}@e2e.test`;
  await invite.getByLabel('Email Addresses').fill(memberEmail);
  await invite.getByLabel('Email Addresses').press('Enter');
  await invite.getByRole('button', { name: 'Invite' }).click();
  const link = page.getByText(/\/invitations\//).first();
  await expect(link).toBeVisible();
  await snap(page, 'foundation-06-invitation-link');
  const invitationPath = (await link.textContent())?.match(/\/invitations\/[A-Za-z0-9_-]+/)?.[0];
  expect(invitationPath).toBeTruthy();

  // The invited user accepts in a separate browser context (a different person).
  const other = await browser.newContext();
  const memberPage = await other.newPage();
  await memberPage.goto(invitationPath ?? '/');
  await snap(memberPage, 'foundation-07-accept-invitation');
  await memberPage.getByLabel('First name').fill('Mia');
  await memberPage.getByLabel('Last name').fill('Member');
  await memberPage.getByLabel('Password').fill('member-password-1');
  await memberPage.getByRole('button', { name: /accept/i }).click();
  await expect(memberPage).toHaveURL(/\/projects\/[0-9a-f]{24}/);
  await memberPage.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(memberPage.getByText('Only project Owners can change settings')).toBeVisible();
  await expect(memberPage.getByLabel('Name')).toBeDisabled();
  await expect(memberPage.getByRole('button', { name: 'Delete Project' })).toHaveCount(0);
  await snap(memberPage, 'foundation-08-member-settings-readonly');
  await other.close();

  // Back as the owner, the member is listed as accepted.
  await page.reload();
  await expect(page.getByRole('cell', { name: memberEmail })).toBeVisible();
  await snap(page, 'foundation-09-users');

  // A link is shown once; a lost one is replaced from the row's menu, and the old one stops working.
  await page.getByRole('button', { name: 'Invite User' }).click();
  const pendingEmail = `pending-${Date.now().toString(36)}@e2e.test`;
  await invite.getByLabel('Email Addresses').fill(pendingEmail);
  await invite.getByLabel('Email Addresses').press('Enter');
  await invite.getByRole('button', { name: 'Invite' }).click();
  const firstPath = (await page.getByText(/\/invitations\//).first().textContent())?.match(/\/invitations\/[A-Za-z0-9_-]+/)?.[0];
  await invite.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('row', { name: new RegExp(pendingEmail) }).getByRole('button', { name: 'Actions' }).click();
  await page.getByRole('menuitem', { name: 'New invitation link' }).click();
  await page.getByRole('button', { name: 'Create link' }).click();
  const fresh = page.getByRole('dialog', { name: 'Share the invitation link' }).getByText(/\/invitations\//);
  await expect(fresh).toBeVisible();
  await snap(page, 'foundation-10-new-invitation-link');
  const freshPath = (await fresh.textContent())?.match(/\/invitations\/[A-Za-z0-9_-]+/)?.[0];
  expect(freshPath).toBeTruthy();
  expect(freshPath).not.toBe(firstPath);
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(firstPath ?? '/');
  await expect(strangerPage.getByText(/no longer valid/)).toBeVisible();
  await stranger.close();
});
