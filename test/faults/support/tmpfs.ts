import { execFileSync } from 'node:child_process';
import { mkdirSync, closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A small tmpfs mounted on `dir`, so that writes there meet a real ENOSPC from the kernel. False
 * when this machine does not let the test mount one (not root, no CAP_SYS_ADMIN, a container
 * that forbids it); the caller then falls back to an injected failure. FAULTS_NO_MOUNT=1 takes
 * the fallback on purpose, to check it where mounting works.
 */
export function mountTmpfs(dir: string, bytes: number): boolean {
  mkdirSync(dir, { recursive: true });
  if (process.env.FAULTS_NO_MOUNT === '1') return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

export function unmount(dir: string): void {
  // Lazy: a file still open in a process that is going away must not keep the mount.
  execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
}

/**
 * Fills the file system holding `dir` to the last byte with one file, and returns a function that
 * frees it again. Writes big blocks, then single pages, then bytes, each until ENOSPC.
 */
export function fillUp(dir: string): () => void {
  const path = join(dir, `filler-${process.pid}`);
  const fd = openSync(path, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 1]) {
      const block = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          writeSync(fd, block);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return () => rmSync(path, { force: true });
}
