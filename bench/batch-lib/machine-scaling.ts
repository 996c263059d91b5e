import { spawn } from 'node:child_process';

/**
 * What the machine itself gives a second process: the same CPU-bound loop (hashing and
 * short-lived objects, like a packet's work) run in one process alone, then in two at once.
 * On two real cores two processes do about twice the work of one; on two hardware threads of
 * one core, or a host that is oversubscribed, much less. It bounds what two workers can reach.
 */
export interface MachineScaling {
  seconds: number;
  /** Loops per second of one process alone. */
  one: number;
  /** Loops per second of two processes together. */
  two: number;
  twoVsOne: number;
}

const LOOP = `
const { createHash } = require('node:crypto');
const block = Buffer.alloc(64 * 1024, 7);
const until = Date.now() + Number(process.argv[1]);
let n = 0;
while (Date.now() < until) {
  createHash('sha256').update(block).digest();
  const objects = [];
  for (let i = 0; i < 200; i++) objects.push({ i, s: 'x' + i, a: [i, i + 1] });
  n += objects.length > 0 ? 1 : 0;
}
process.stdout.write(String(n));
`;

function loops(ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LOOP, String(ms)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`scaling loop exited ${code}`)),
    );
  });
}

export async function machineScaling(ms = 5000): Promise<MachineScaling> {
  const one = await loops(ms);
  const pair = await Promise.all([loops(ms), loops(ms)]);
  const two = pair[0] + pair[1];
  const perSecond = (n: number) => Math.round((n * 1000) / ms);
  return {
    seconds: ms / 1000,
    one: perSecond(one),
    two: perSecond(two),
    twoVsOne: Math.round((two / one) * 100) / 100,
  };
}
