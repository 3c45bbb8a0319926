/** What other modules may use of identity: the caller's shape and the service factory. */
export type { Actor, OrgRole, User } from './identity.js';
export { displayName, isOrgAdmin, normalizeEmail } from './identity.js';
export { createIdentityService, type IdentityService, type LoginClient, type SessionResult } from './identity-service.js';
export { loginClient, sendSession } from './session-cookies.js';
export { digest } from './passwords.js';
export { loginLimitsFor } from './login-throttle.js';
