import { estimateCost } from '@/lib/shared/budget';
import { t } from '@/lib/shared/i18n';
import { defaultPreferences } from '@/lib/shared/settings';
import { formatCostUsd, formatCredits, formatNumber } from '@/lib/ui/format';
import { Section } from './layout';
import { providerCatalogue } from '@/lib/shared/providers';

/** Shown at the top of Options when it opens at #welcome, as it does right after installation. */
export function Welcome() {
  const page = { fromPage: 1, toPage: 1, pageSize: defaultPreferences.pageSize, total: null };
  const costs = [
    formatNumber(page.pageSize),
    formatCredits(estimateCost('serpstat', page).credits),
    formatCostUsd(providerCatalogue.dataforseo.pricing.perRequest),
    formatCostUsd(providerCatalogue.dataforseo.pricing.perRow),
    formatCostUsd(estimateCost('dataforseo', page).usd),
  ];
  return (
    <Section title={t('welcome_heading')} anchor="welcome">
      <div className="flex flex-col gap-2 text-sm">
        <p>{t('welcome_whatItDoes')}</p>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t('welcome_serpstatKey')}</li>
          <li>{t('welcome_dataforseoKey')}</li>
        </ul>
        <p>{t('welcome_costs', costs)}</p>
      </div>
    </Section>
  );
}
