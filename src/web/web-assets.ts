import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../common/sha256';
import { projectRoot } from '../config/project-root';

export interface Asset {
  body: Buffer;
  contentType: string;
}

/**
 * The stylesheet and script, read once at start-up from the repository's source folder, so the
 * compiled server (dist/) serves the same files without a copy step.
 */
@Injectable()
export class WebAssets {
  readonly css: Asset;
  readonly js: Asset;
  /** Changes whenever either file does: part of the asset URLs the pages write. */
  readonly version: string;

  constructor() {
    const dir = join(projectRoot(), 'src', 'web', 'assets');
    this.css = {
      body: readFileSync(join(dir, 'site.css')),
      contentType: 'text/css; charset=utf-8',
    };
    this.js = {
      body: readFileSync(join(dir, 'site.js')),
      contentType: 'text/javascript; charset=utf-8',
    };
    this.version = sha256(Buffer.concat([this.css.body, this.js.body])).slice(0, 12);
  }
}
