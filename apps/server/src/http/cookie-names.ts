/** The console's cookies: an HttpOnly session token and a script-readable CSRF token. */
export const SESSION_COOKIE = 'tailor_session';
export const CSRF_COOKIE = 'tailor_csrf';
