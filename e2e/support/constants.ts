/** The org owner the e2e server is started with (TAILOR_ADMIN_EMAIL / TAILOR_ADMIN_PASSWORD). */
export const E2E_ADMIN = { email: 'owner@e2e.test', password: 'e2e-password-1' };

/** Where specs save screenshots for a person to look at (ignored by git). */
export const ARTIFACTS_DIR = new URL('../artifacts/', import.meta.url).pathname;
