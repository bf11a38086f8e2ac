import { SIM_SERPSTAT_TOKEN, SIM_SERPSTAT_URL } from '../sim/constants';
import { maskedTailPattern } from './extension-browser';
import { expect, test } from './fixtures';

/** The simulator's answer to the free getStats call, asked directly so the test knows the balance. */
async function serpstatCreditsLeft(): Promise<number> {
  const response = await fetch(`${SIM_SERPSTAT_URL}?token=${SIM_SERPSTAT_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'e2e', method: 'SerpstatLimitsProcedure.getStats', params: {} }),
  });
  const body = (await response.json()) as { result: { left_lines: number } };
  return body.result.left_lines;
}

test('a saved Serpstat token comes back only as its masked tail', async ({ extension }) => {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const serpstat = options.getByRole('region', { name: 'Serpstat' });
  await serpstat.getByLabel('Serpstat API token').fill(SIM_SERPSTAT_TOKEN);
  await serpstat.getByRole('button', { name: 'Save' }).click();
  await expect(serpstat.getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN))).toBeVisible();

  await options.reload();
  await expect(serpstat.getByText(maskedTailPattern(SIM_SERPSTAT_TOKEN))).toBeVisible();
  await expect(serpstat.getByLabel('Serpstat API token')).toHaveValue('');
  expect(await options.content()).not.toContain(SIM_SERPSTAT_TOKEN);
});

test('Test connection shows the Serpstat credits left, for free', async ({ extension, sim }) => {
  const creditsLeft = await serpstatCreditsLeft();
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const serpstat = options.getByRole('region', { name: 'Serpstat' });
  await serpstat.getByLabel('Serpstat API token').fill(SIM_SERPSTAT_TOKEN);
  await serpstat.getByRole('button', { name: 'Test connection' }).click();

  await expect(serpstat.getByText(new Intl.NumberFormat('en-US').format(creditsLeft))).toBeVisible();
  const extensionCalls = sim.log.filter((entry) => entry.provider === 'serpstat').slice(1);
  expect(extensionCalls.map((entry) => entry.method)).toEqual(['SerpstatLimitsProcedure.getStats']);
  expect(extensionCalls.every((entry) => !entry.charged)).toBe(true);
});
