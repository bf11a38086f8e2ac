import { t, type KeyWithoutPlaceholders } from '@/lib/shared/i18n';
import { openOptionsPage } from '@/lib/ui/browser-actions';
import { Button, Notice } from './ui';
import type { ProviderId } from '@/lib/shared/providers';

const askForKey: Record<ProviderId, KeyWithoutPlaceholders> = { serpstat: 'noKey_serpstat', dataforseo: 'noKey_dataforseo' };

/** Shown instead of any lookup while the selected provider has no credentials: nothing is sent. Opens Options at that provider's key field. */
export function NoKeyNotice({ provider }: { provider: ProviderId }) {
  return (
    <Notice>
      <p>{t(askForKey[provider])}</p>
      <Button variant="primary" className="mt-2" onClick={() => openOptionsPage(provider)}>
        {t('notice_openOptions')}
      </Button>
    </Notice>
  );
}
