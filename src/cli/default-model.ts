import { fileURLToPath } from 'node:url';

/** The shipped model (models/default in the package), whatever the current folder. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../models/default', import.meta.url));
