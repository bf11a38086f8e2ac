import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { maskedTailPattern } from './extension-browser';
import { expect, test } from './fixtures';

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
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  const serpstat = options.getByRole('region', { name: 'Serpstat' });
  await serpstat.getByLabel('Serpstat API token').fill(SIM_SERPSTAT_TOKEN);
  await serpstat.getByRole('button', { name: 'Test connection' }).click();

  await expect(serpstat.getByText(new Intl.NumberFormat('en-US').format(sim.creditsLeft()))).toBeVisible();
  expect(sim.log.map((entry) => [entry.method, entry.charged])).toEqual([['SerpstatLimitsProcedure.getStats', 0]]);
});
