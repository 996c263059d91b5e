import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildConfidentialInformationForm,
  buildServiceInformationForm,
} from '../src/rendering/pdf/pack-forms';
import { projectRoot } from '../src/config/project-root';

/**
 * Rebuilds the generic pack's fillable forms from code:
 *   npx tsc -p tsconfig.build.json && node dist/scripts/build-pack-forms.js
 */
async function main(): Promise<void> {
  const dir = join(projectRoot(), 'templates', 'generic-us', 'forms');
  mkdirSync(dir, { recursive: true });
  const forms: [string, () => Promise<Uint8Array>][] = [
    ['confidential-information.pdf', buildConfidentialInformationForm],
    ['service-information.pdf', buildServiceInformationForm],
  ];
  for (const [file, build] of forms) {
    writeFileSync(join(dir, file), await build());
    console.log(`wrote templates/generic-us/forms/${file}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
