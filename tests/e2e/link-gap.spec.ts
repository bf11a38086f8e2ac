/**
 * Link gap against the simulator, for both providers: My sites set in Options, a competitor's
 * Link gap table holds exactly the domains that link to it and not to my site (checked against
 * the simulator's data sets), export and Copy domains work, and nothing is asked without my site.
 * Serpstat's overlap counts are asked for once, on request, and match the simulator's counting.
 */
import { SIM_SERPSTAT_TOKEN } from '../sim/constants';
import { datasetSize, linkGapExpectation } from '../sim/data';
import { DATAFORSEO_DOMAIN_INTERSECTION_PATH } from '../sim/dataforseo';
import { intersectDonors, SERPSTAT_INTERSECT_METHOD, SERPSTAT_INTERSECT_SUMMARY_METHOD } from '../sim/serpstat';
import { asciiDomain, expect, saveSerpstatKey, test } from './fixtures';
import type { Simulator } from './fixtures';
import { openPanel, saveDataForSeoKey } from './panel-helpers';
import type { ExtensionBrowser } from './extension-browser';

const MY_SITE = 'shop-example.co.uk';
const COMPETITOR = 'rival-shop.com';
const COMPETITOR_SIZE = 250;

const gapRequests = (sim: Simulator) =>
  sim.log.filter((entry) => entry.method === SERPSTAT_INTERSECT_METHOD || entry.method === DATAFORSEO_DOMAIN_INTERSECTION_PATH);

async function setMySite(extension: ExtensionBrowser, site: string) {
  const options = await extension.context.newPage();
  await options.goto(extension.extensionUrl('options.html'));
  await options.getByRole('textbox', { name: /^My site/ }).fill(site);
  await options.getByRole('button', { name: 'Save my sites' }).click();
  await expect(options.getByText('My sites saved.')).toBeVisible();
  await options.close();
}

for (const provider of ['serpstat', 'dataforseo'] as const) {
  test.describe(provider, () => {
    test.beforeEach(async ({ extension, sim }) => {
      if (provider === 'serpstat') await saveSerpstatKey(extension, SIM_SERPSTAT_TOKEN);
      else await saveDataForSeoKey(extension);
      sim.setDatasetSize(COMPETITOR, 'refDomains', COMPETITOR_SIZE);
    });

    async function openLinkGap(extension: ExtensionBrowser) {
      const panel = await openPanel(extension, COMPETITOR);
      if (provider === 'dataforseo') await panel.getByRole('combobox', { name: 'Provider' }).selectOption('dataforseo');
      await panel.getByRole('tab', { name: 'Link gap' }).click();
      return panel;
    }

    test('lists only the domains that link to the competitor and not to my site; export and copy work', async ({ extension, sim }) => {
      await extension.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await setMySite(extension, MY_SITE);
      const expected = linkGapExpectation(provider, MY_SITE, [COMPETITOR], 'all', { [COMPETITOR]: COMPETITOR_SIZE });
      // The data make the check mean something: some of the competitor's domains link to my site too.
      expect(expected.linkingToBoth.length).toBeGreaterThan(0);

      const panel = await openLinkGap(extension);
      const table = panel.getByRole('table', { name: 'Link gap' });
      await expect(table.getByRole('columnheader', { name: `Links to ${COMPETITOR}` })).toBeVisible();
      await expect(panel.getByText(`Domains that link to ${COMPETITOR} and not to ${MY_SITE}.`)).toBeVisible();
      const total = expected.domains.size;
      await expect(panel.getByRole('status').filter({ hasText: new RegExp(`^100 of ${total} loaded`) })).toBeVisible();
      await panel.getByRole('button', { name: 'Load all' }).click();
      await panel.getByRole('button', { name: 'Start loading' }).click();
      await expect(panel.getByRole('status').filter({ hasText: new RegExp(`^${total} of ${total} loaded`) })).toBeVisible();

      await panel.getByRole('button', { name: 'Copy domains' }).click();
      await expect(panel.getByRole('status').filter({ hasText: `Copied ${total} domains` })).toBeVisible();
      const copied = (await panel.evaluate(() => navigator.clipboard.readText())).split('\n').map(asciiDomain);
      expect(new Set(copied)).toEqual(new Set(expected.domains.keys()));
      for (const domain of expected.linkingToBoth) expect(copied).not.toContain(domain);

      const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^link-gap_rival-shop\\.com_vs_shop-example\\.co\\.uk_${provider}_\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      // My site went to the provider as the site to leave out.
      const first = gapRequests(sim)[0]!.params as Record<string, unknown>;
      if (provider === 'serpstat') expect(first).toMatchObject({ query: MY_SITE, intersect: [COMPETITOR] });
      else expect(first).toMatchObject({ targets: { 1: COMPETITOR }, exclude_targets: [MY_SITE] });
    });

    if (provider === 'serpstat') {
      test('overlap counts: one getIntersectSummary when asked, figures as the simulator counts them, shown free without a click when the tab opens again', async ({ extension, sim }) => {
        await setMySite(extension, MY_SITE);
        const overlapRequests = () => sim.log.filter((entry) => entry.method === SERPSTAT_INTERSECT_SUMMARY_METHOD);
        const panel = await openLinkGap(extension);
        await expect(panel.getByRole('status').filter({ hasText: /^100 of / })).toBeVisible();
        const ask = panel.getByRole('button', { name: 'Overlap counts (3 credits)' });
        await expect(ask).toBeVisible();
        expect(overlapRequests()).toEqual([]);
        await ask.click();

        const table = panel.getByRole('table', { name: `Overlap counts: ${MY_SITE}, ${COMPETITOR}` });
        await expect(table).toBeVisible();
        expect(overlapRequests().map((entry) => entry.params)).toEqual([{ query: MY_SITE, intersect: [COMPETITOR] }]);
        // The simulator's own counting: every donor of either site, with its links to each.
        const donors = intersectDonors([MY_SITE, COMPETITOR], (domain) => (domain === COMPETITOR ? COMPETITOR_SIZE : datasetSize(domain, 'refDomains')));
        const mine = donors.filter((donor) => donor.links[0]! > 0).length;
        const theirs = donors.filter((donor) => donor.links[1]! > 0).length;
        const shared = donors.filter((donor) => donor.links[0]! > 0 && donor.links[1]! > 0).length;
        expect(shared).toBeGreaterThan(0);
        const figure = (row: string) =>
          table
            .getByRole('row')
            .filter({ has: panel.getByRole('rowheader', { name: row, exact: true }) })
            .getByRole('cell')
            .first();
        await expect(figure(MY_SITE)).toHaveText(mine.toLocaleString('en-US'));
        await expect(figure(COMPETITOR)).toHaveText(theirs.toLocaleString('en-US'));
        await expect(figure(`all of ${MY_SITE}, ${COMPETITOR}`)).toHaveText(shared.toLocaleString('en-US'));
        // The gap worked out from the counts is the Link gap table's own total.
        const gap = linkGapExpectation(provider, MY_SITE, [COMPETITOR], 'all', { [COMPETITOR]: COMPETITOR_SIZE }).domains.size;
        expect(theirs - shared).toBe(gap);
        await expect(figure(`Domains that link to ${COMPETITOR} and not to ${MY_SITE}.`)).toHaveText(gap.toLocaleString('en-US'));
        await expect(panel.getByText(/^These counts cost 3 credits/)).toBeVisible();

        // Reopened: the cached answer shows as the tab opens, without a click and without a
        // request (the Link gap table's first page is cached too).
        await panel.close();
        const sent = sim.log.length;
        const again = await openLinkGap(extension);
        await expect(again.getByRole('status').filter({ hasText: /^100 of / })).toBeVisible();
        await expect(again.getByRole('table', { name: `Overlap counts: ${MY_SITE}, ${COMPETITOR}` })).toBeVisible();
        await expect(again.getByText(/^From cache · fetched .* · cost 0 credits/)).toBeVisible();
        await expect(again.getByRole('button', { name: /^Overlap counts/ })).toHaveCount(0);
        expect(sim.log.slice(sent)).toEqual([]);
      });
    } else {
      test('no overlap counts button: the tab says they are a Serpstat report', async ({ extension, sim }) => {
        await setMySite(extension, MY_SITE);
        const panel = await openLinkGap(extension);
        await expect(panel.getByText(/DataForSEO does not count how many linking domains the sites share; Serpstat does/)).toBeVisible();
        await expect(panel.getByRole('button', { name: /^Overlap counts/ })).toHaveCount(0);
        expect(sim.log.filter((entry) => entry.method === SERPSTAT_INTERSECT_SUMMARY_METHOD)).toEqual([]);
      });
    }

    test('without my site, the tab asks for one and nothing is requested', async ({ extension, sim }) => {
      const panel = await openLinkGap(extension);
      await expect(panel.getByText(/Add your own site in Options first/)).toBeVisible();
      await expect(panel.getByRole('button', { name: 'Add my site in Options' })).toBeVisible();
      expect(gapRequests(sim)).toEqual([]);
    });
  });
}
