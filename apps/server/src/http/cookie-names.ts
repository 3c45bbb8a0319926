/** The console's cookies: an HttpOnly session token, a script-readable CSRF token, and a known-device marker. */
export const SESSION_COOKIE = 'tailor_session';
export const CSRF_COOKIE = 'tailor_csrf';
export const DEVICE_COOKIE = 'tailor_device';
