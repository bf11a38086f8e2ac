import { useQuery } from '@tanstack/react-query';
import { keyStatusQuery, toLensError } from '@/lib/queries';
import { DomainForm } from '@/components/DomainForm';
import { ErrorNotice } from '@/components/ErrorNotice';
import { providerNames } from '@/components/format';
import { NoKeyNotice } from '@/components/NoKeyNotice';
import { ReportTabs } from '@/components/ReportTabs';
import { displayTarget, targetForScope } from '@/components/target';
import type { Target } from '@/components/target';
import { mutedText, Notice, Skeleton } from '@/components/ui';
import { usePreferences } from '@/components/usePreferences';
import type { Preferences } from '@/components/usePreferences';
import { useFollowedTarget } from './useFollowedTarget';

const scopeNames = { domain_with_subdomains: 'root domain with subdomains', domain: 'this host only', url: 'this page' } as const;

/** The side panel: full report tables for the followed tab's domain, or any domain typed in. */
export function SidePanelApp({ initialTarget }: { initialTarget: string | null }) {
  const { followed, lookUp } = useFollowedTarget(initialTarget);
  const preferences = usePreferences();
  const target = followed.state === 'ready' && followed.parse.ok ? followed.parse : null;
  const heading = target
    ? displayTarget(target, preferences?.scope ?? 'domain_with_subdomains')
    : followed.state === 'loading'
      ? 'Reading the tab…'
      : 'No site to look up';

  return (
    <main className="flex h-screen min-h-0 flex-col gap-2 p-3">
      <header className="space-y-2">
        <div className="flex items-baseline justify-between gap-2">
          <h1 className="truncate text-lg font-semibold" title={heading}>
            {heading}
          </h1>
          {preferences && (
            <p className={`shrink-0 text-xs ${mutedText}`}>
              {providerNames[preferences.provider]} · {scopeNames[preferences.scope]}
            </p>
          )}
        </div>
        <DomainForm onTarget={lookUp} />
      </header>

      {followed.state === 'none' && <Notice>Switch to a web page, or type a domain above.</Notice>}
      {followed.state === 'ready' && !followed.parse.ok && <Notice>{followed.parse.message}</Notice>}
      {target && preferences && <Reports target={target} preferences={preferences} />}
    </main>
  );
}

function Reports({ target, preferences }: { target: Target; preferences: Preferences }) {
  const keyStatus = useQuery(keyStatusQuery());
  if (keyStatus.isPending) {
    return (
      <div aria-busy="true">
        <Skeleton lines={4} />
      </div>
    );
  }
  if (keyStatus.isError) return <ErrorNotice error={toLensError(keyStatus.error)} onRetry={() => void keyStatus.refetch()} />;
  if (!keyStatus.data[preferences.provider].configured) return <NoKeyNotice provider={preferences.provider} />;
  return (
    <ReportTabs
      provider={preferences.provider}
      target={targetForScope(target, preferences.scope)}
      scope={preferences.scope}
      pageSize={preferences.pageSize}
    />
  );
}
