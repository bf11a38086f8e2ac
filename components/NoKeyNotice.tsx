import type { ProviderId } from '@/lib/errors';
import { openOptionsPage } from './browser-actions';
import { providerNames } from './format';
import { Button, Notice } from './ui';

const credentialNames: Record<ProviderId, string> = { serpstat: 'API token', dataforseo: 'API login and password' };

/** Shown instead of any lookup while the selected provider has no credentials: nothing is sent. */
export function NoKeyNotice({ provider }: { provider: ProviderId }) {
  return (
    <Notice>
      <p>
        Add your {providerNames[provider]} {credentialNames[provider]} in Options to see backlinks.
      </p>
      <Button variant="primary" className="mt-2" onClick={openOptionsPage}>
        Open options
      </Button>
    </Notice>
  );
}
