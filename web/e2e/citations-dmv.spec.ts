import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, signIn, uniqueWord } from './helpers';
import { SANDBOX_BIN, sandboxAnswer } from './dmvSandbox';
import { apiAs } from './counterApi';

// The DMV exchange against a real server with the demo City: the supervisor writes the
// registered-owner request file and downloads it, the sandbox DMV answers it (the CLI
// `civicdesk citations dmv-sandbox`, run here as the DMV would be), the response is read through
// the screen (counts and a refused line), and the citation page names the owner. The request
// file is written for a date no earlier run used (a second file for a date is the same file),
// for a citation issued on that date with a plate of its own.


function citationNumber(): string {
  const n = 10_000_000 + Math.floor(Math.random() * 89_999_999);
  return `${n}${n % 7}`;
}

function daysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}

test('DMV exchange: request file → sandbox answer → response read → the owner on the citation', async ({ page, playwright }) => {
  test.setTimeout(120_000);
  test.skip(!SANDBOX_BIN, 'no civicdesk binary with `citations dmv-sandbox` (set CIVICDESK_BIN)');
  const sup = await apiAs(playwright, 'supervisor');
  const csr2 = await apiAs(playwright, 'csr2');
  try {
    // A request date no file used yet, and a citation issued that day on a plate of its own.
    const used = new Set(((await sup.get('/api/v1/citations/dmv/files')).items as { kind: string; date: string }[]).filter((f) => f.kind === 'request').map((f) => f.date));
    let day = daysAgo(40 + Math.floor(Math.random() * 600));
    while (used.has(day)) day = daysAgo(40 + Math.floor(Math.random() * 600));
    const plate = `D${uniqueWord('').toUpperCase().slice(0, 5)}${Math.floor(Math.random() * 90 + 10)}`;
    const c = await csr2.post('/api/v1/citations', {
      number: citationNumber(), issued_at: `${day} 11:00`, location: '100 LARKIN ST', violation_code: 'V5204A',
      plate, plate_state: 'CA', officer_id: 'PCO 5',
    }, 201);

    await signIn(page, 'supervisor');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'DMV exchange' }).click();
    await expect(page.getByRole('heading', { name: 'DMV exchange', level: 1 })).toBeVisible();
    await expectAccessible(page, 'the DMV exchange');

    const requests = page.getByRole('form', { name: 'Write the request file' });
    await requests.getByRole('textbox', { name: 'Request file date' }).fill(day);
    await requests.getByRole('button', { name: 'Write the request file' }).click();
    await expect(page.getByTestId('dmv-requests-result')).toContainText(/plates? asked/);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download request file' }).click();
    const download = await downloading;
    const dir = mkdtempSync(join(tmpdir(), 'cd-dmv-'));
    const requestPath = join(dir, download.suggestedFilename());
    await download.saveAs(requestPath);
    const requestText = readFileSync(requestPath, 'utf8');
    expect(requestText).toMatch(/^H,DMVRQ,/);
    expect(requestText).toContain(`,${plate},CA,${c.number},${day}`);

    // The sandbox DMV answers; one line the DMV garbled is added (and counted in the trailer).
    const answer = sandboxAnswer(requestPath);
    const lines = answer.trimEnd().split('\n');
    const ours = lines.find((l) => l.split(',')[2] === plate)!;
    expect(ours, answer).toBeTruthy();
    const found = ours.split(',')[4] === 'F';
    const trailer = lines.pop()!;
    const count = Number(trailer.split(',')[1]);
    lines.push('D,999999999,ZZ9ZZ9,CA,X,,,,,,,,,,,,', `T,${count + 1}`);
    const responsePath = join(dir, `dmv-response-${day}.txt`);
    writeFileSync(responsePath, lines.join('\n') + '\n');

    await page.getByLabel('DMV response file', { exact: true }).setInputFiles(responsePath);
    await page.getByRole('button', { name: 'Read the response file' }).click();
    const result = page.getByTestId('dmv-response-result');
    await expect(result).toBeVisible();
    await expect(result.getByTestId('dmv-problems')).toHaveText('1');
    const refused = page.getByRole('table', { name: 'Refused lines of the response file' });
    await expect(refused.getByRole('row')).toHaveCount(2);
    await expect(refused.getByRole('row').nth(1)).toContainText(String(lines.length - 1));
    const created = Number(await result.getByTestId('dmv-created').textContent());
    const matched = Number(await result.getByTestId('dmv-matched').textContent());
    expect(created + matched).toBe(Number(await result.getByTestId('dmv-found').textContent()));
    await expectAccessible(page, 'a DMV response read');

    // The same file chosen again changes nothing.
    await page.getByLabel('DMV response file', { exact: true }).setInputFiles([]);
    await expect(result).toHaveCount(0);
    await page.getByLabel('DMV response file', { exact: true }).setInputFiles(responsePath);
    await page.getByRole('button', { name: 'Read the response file' }).click();
    await expect(result).toContainText('was read before: nothing changed');

    // The history lists the files; the hold file for today is written (and can be rewritten).
    const history = page.getByRole('table', { name: 'Files exchanged with the DMV' });
    await expect(history).toContainText('Owner request');
    await expect(history).toContainText('DMV response');
    const holds = page.getByRole('form', { name: 'Write the hold file' });
    await holds.getByRole('button', { name: 'Write the hold file' }).click();
    await expect(page.getByTestId('dmv-holds-result')).toContainText('to place');
    await expect(page.getByRole('button', { name: 'Download hold file' })).toBeVisible();

    // The citation names its owner (a link to the customer) when the DMV found one.
    await page.goto(`/citations/${c.number}`);
    await expect(page.getByRole('heading', { name: `Citation ${c.number}`, level: 1 })).toBeVisible();
    if (found) {
      const owner = page.getByTestId('citation-owner');
      await expect(owner).toBeVisible();
      await owner.click();
      await expect(page).toHaveURL(/\/parties\/\d+$/);
    } else {
      await expect(page.getByText('not yet known')).toBeVisible();
    }
  } finally {
    await Promise.all([sup.dispose(), csr2.dispose()]);
  }
});
