/** What other modules may use of members: the service factories (routes are registered by app.ts). */
export { createInvitationService, type InvitationService } from './invitation-service.js';
export { createMemberService, LAST_OWNER, type MemberService } from './member-service.js';
