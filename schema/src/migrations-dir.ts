import { fileURLToPath } from 'node:url';

/**
 * The folder holding the numbered SQL migrations of this package.
 *
 * It resolves against this module's own URL, and so it lives one folder below
 * the package root, as the service bundles live one folder below the image's
 * root: `../migrations` is schema/migrations here, and /app/migrations from
 * /app/dist/init.mjs (deploy/compose/Dockerfile, stage `init`). Moved deeper,
 * the init image would no longer find its SQL files.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
