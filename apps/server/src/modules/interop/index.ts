/** What other modules may use of interop: the project export/import service (composition root, CLI). */
export { createInteropService, type ImportOptions, type InteropService } from './interop-service.js';
export type { ImportProgress } from './project-import.js';
