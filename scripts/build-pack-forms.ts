import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  buildConfidentialInformationForm,
  buildServiceInformationForm,
} from '../src/rendering/pdf/pack-forms';
import { projectRoot } from '../src/config/project-root';

/** Where each pack-made form lives, relative to templates/. */
export const PACK_FORMS: [string, () => Promise<Uint8Array>][] = [
  ['generic-us/forms/confidential-information.pdf', buildConfidentialInformationForm],
  ['common/forms/service-information.pdf', buildServiceInformationForm],
];

/**
 * Rebuilds the pack-made fillable forms from code:
 *   npx tsc -p tsconfig.build.json && node dist/scripts/build-pack-forms.js
 */
async function main(): Promise<void> {
  for (const [file, build] of PACK_FORMS) {
    const path = join(projectRoot(), 'templates', file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await build());
    console.log(`wrote templates/${file}`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
