/** API request and response schemas shared by the server (route schemas) and the console (types). */
export * from './common.js';
export * from './edge.js';
export * from './identity.js';
export * from './members.js';
export * from './projects.js';
export * from './rule-tree.js';
export * from './attributes.js';
export * from './audiences.js';
export * from './impact.js';
export * from './events.js';
export * from './audit.js';
export * from './experiences.js';
export * from './analytics.js';
export * from './interop.js';
