// The sandbox DMV for the browser tests: the state DMV is a file drop, so a test answers a
// request file with `civicdesk citations dmv-sandbox FILE` as the DMV would. The binary is
// CIVICDESK_BIN, else the first server build that has the command.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function hasSandbox(bin: string): boolean {
  try {
    return execFileSync(bin, ['citations', '--help'], { encoding: 'utf8' }).includes('dmv-sandbox');
  } catch {
    return false;
  }
}

export const SANDBOX_BIN: string | undefined = process.env.CIVICDESK_BIN
  ?? ['/tmp/cd-bin/civicdesk', '/tmp/cd-bin-c/civicdesk'].find((p) => existsSync(p) && hasSandbox(p));

/** The sandbox DMV's response file for the request file at `requestPath`. */
export function sandboxAnswer(requestPath: string): string {
  if (!SANDBOX_BIN) throw new Error('no civicdesk binary with `citations dmv-sandbox`: set CIVICDESK_BIN');
  return execFileSync(SANDBOX_BIN, ['citations', 'dmv-sandbox', requestPath], { encoding: 'utf8' });
}
