/**
 * `npm run schema`: writes packages/core/config.schema.json from the app registry, so the file
 * editors read through `"$schema"` never drifts from what the loader validates (a test checks).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { APPS } from '../apps/registry.js';
import { buildConfigSchema } from './schema.js';
import { toJsonText } from './json-text.js';

// dist/config/write-schema.js → packages/core/config.schema.json
const target = fileURLToPath(new URL('../../config.schema.json', import.meta.url));

await writeFile(target, toJsonText(buildConfigSchema(APPS)));
console.log(`wrote ${target}`);
