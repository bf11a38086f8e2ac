import type { LensError } from '@/lib/shared/errors';
import { describeError } from '@/lib/ui/error-text';
import { t } from '@/lib/shared/i18n';
import { openOptionsPage } from '@/lib/ui/browser-actions';
import { Button, Notice } from './ui';

/** A missing or rejected key: Options opens at that provider's key field. */
const keyErrors = new Set<LensError['code']>(['no_key', 'bad_key']);

/** A LensError as a sentence, its next step, and the one action that helps. */
export function ErrorNotice({ error, onRetry }: { error: LensError; onRetry?: () => void }) {
  const text = describeError(error);
  return (
    <div role="alert">
      <Notice tone="error">
        <p className="font-semibold">{text.title}</p>
        <p>{text.nextStep}</p>
        {text.action === 'openOptions' && (
          <Button className="mt-2" onClick={() => openOptionsPage(keyErrors.has(error.code) ? error.provider : undefined)}>
            {t('notice_openOptions')}
          </Button>
        )}
        {text.action === 'retry' && onRetry && (
          <Button className="mt-2" onClick={onRetry}>
            {t('notice_tryAgain')}
          </Button>
        )}
      </Notice>
    </div>
  );
}
