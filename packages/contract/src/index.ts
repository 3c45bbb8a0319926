/** API request and response schemas shared by the server (route schemas) and the console (types). */
export * from './common.js';
export * from './identity.js';
