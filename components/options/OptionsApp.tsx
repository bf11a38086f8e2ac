import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { t } from '@/lib/shared/i18n';
import type { KeyStatus } from '@/lib/shared/protocol';
import { keyStatusQuery, toLensError } from '@/lib/ui/queries';
import type { Scope } from '@/lib/shared/reports';
import { ErrorNotice } from '@/components/ErrorNotice';
import { scopeLabel } from '@/lib/ui/labels';
import { defaultPreferences, getPreferences, preferencesItem, settingBounds } from '@/lib/shared/settings';
import { Button, focusRing, inputClass, mutedText } from '@/components/ui';
import { usePreferences } from '@/components/usePreferences';
import type { Preferences } from '@/components/usePreferences';
import { BudgetSection, CacheSection, UsageSection } from './CostSections';
import { HistorySection } from './HistorySection';
import { CredentialInput, Field, Section, StatusLine, useFocusWhenLinked } from './layout';
import { MySitesSection } from './MySitesSection';
import { PrivacySection } from './PrivacySection';
import { useCredentialActions } from './useCredentialActions';
import type { StatusMessage } from './useCredentialActions';
import { Welcome } from './Welcome';
import { SERPSTAT_REQUESTS_PER_SECOND, ProviderId, providerCatalogue } from '@/lib/shared/providers';

const MASK = '••••';
/** Up to DataForSEO's own limit of requests in flight. */
const DATAFORSEO_PAGES_AT_ONCE = [1, 2, 4, 8, 16, providerCatalogue.dataforseo.maxInFlight];

/** Options: provider credentials (sent to the background, never read back) and defaults. */
export function OptionsApp() {
  const keyStatus = useQuery(keyStatusQuery());
  // Opened at #welcome (after installation): the welcome stays while the user follows links on the page.
  const [welcome] = useState(() => location.hash === '#welcome');
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 p-6">
      <header>
        <div className="flex items-baseline justify-between gap-4">
          <h1 className="text-2xl font-semibold">{t('options_heading')}</h1>
          <a href="#privacy" className={`text-sm underline ${focusRing}`}>
            {t('options_privacyLink')}
          </a>
        </div>
        <p className={`text-sm ${mutedText}`}>{t('options_intro')}</p>
      </header>
      {welcome && <Welcome />}
      {keyStatus.isError && <ErrorNotice error={toLensError(keyStatus.error)} onRetry={() => void keyStatus.refetch()} />}
      <SerpstatSection status={keyStatus.data?.serpstat} />
      <DataForSeoSection status={keyStatus.data?.dataforseo} />
      <DefaultsSection />
      <MySitesSection />
      <UsageSection />
      <CacheSection />
      <HistorySection />
      <BudgetSection />
      <PrivacySection />
    </main>
  );
}

function SavedKeyLine({ provider, status }: { provider: ProviderId; status: KeyStatus | undefined }) {
  if (!status) return null;
  const tail = status.maskedTail ? t('options_keyEndsIn', [MASK, status.maskedTail]) : null;
  const login = status.login ?? '';
  let text: string;
  if (!status.configured) text = provider === 'serpstat' ? t('options_noToken') : t('options_noLogin');
  else if (provider === 'serpstat') text = tail ? t('options_tokenSavedEnding', [tail]) : t('options_tokenSaved');
  else text = tail ? t('options_loginSavedPassword', [login, tail]) : t('options_loginSaved', [login]);
  return <p className={`text-sm ${mutedText}`}>{text}</p>;
}

function SerpstatSection({ status }: { status: KeyStatus | undefined }) {
  const [token, setToken] = useState('');
  const actions = useCredentialActions('serpstat');
  const tokenField = useRef<HTMLInputElement>(null);
  useFocusWhenLinked('serpstat', tokenField);

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token.trim()) {
      actions.setMessage({ tone: 'error', text: t('options_enterToken') });
      return;
    }
    actions.save.mutate({ provider: 'serpstat', token: token.trim() }, { onSuccess: () => setToken('') });
  }

  function test() {
    actions.test.mutate(token.trim() ? { provider: 'serpstat', token: token.trim() } : undefined);
  }

  return (
    <Section title="Serpstat" anchor="serpstat">
      <form onSubmit={save} className="flex flex-col gap-3" noValidate>
        <Field label={t('options_serpstatToken')}>
          {(id) => (
            <CredentialInput ref={tokenField} id={id} type="password" value={token} onChange={(event) => setToken(event.target.value)} />
          )}
        </Field>
        <CredentialButtons actions={actions} onTest={test} configured={status?.configured ?? false} />
        <SavedKeyLine provider="serpstat" status={status} />
        <StatusLine message={actions.message} />
      </form>
    </Section>
  );
}

function DataForSeoSection({ status }: { status: KeyStatus | undefined }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const actions = useCredentialActions('dataforseo');
  const loginField = useRef<HTMLInputElement>(null);
  useFocusWhenLinked('dataforseo', loginField);
  const typed = { login: login.trim(), password: password.trim() };

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!typed.login || !typed.password) {
      actions.setMessage({ tone: 'error', text: t('options_enterBoth') });
      return;
    }
    actions.save.mutate(
      { provider: 'dataforseo', ...typed },
      {
        onSuccess: () => {
          setLogin('');
          setPassword('');
        },
      },
    );
  }

  function test() {
    if (!typed.login && !typed.password) actions.test.mutate(undefined);
    else if (typed.login && typed.password) actions.test.mutate({ provider: 'dataforseo', ...typed });
    else actions.setMessage({ tone: 'error', text: t('options_enterBothOrNeither') });
  }

  return (
    <Section title="DataForSEO" anchor="dataforseo">
      <form onSubmit={save} className="flex flex-col gap-3" noValidate>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={t('options_dataforseoLogin')}>
            {(id) => (
              <CredentialInput ref={loginField} id={id} type="text" value={login} onChange={(event) => setLogin(event.target.value)} />
            )}
          </Field>
          <Field label={t('options_dataforseoPassword')}>
            {(id) => (
              <CredentialInput id={id} type="password" value={password} onChange={(event) => setPassword(event.target.value)} />
            )}
          </Field>
        </div>
        <p className={`text-xs ${mutedText}`}>{t('options_apiPasswordHint')}</p>
        <CredentialButtons actions={actions} onTest={test} configured={status?.configured ?? false} />
        <SavedKeyLine provider="dataforseo" status={status} />
        <StatusLine message={actions.message} />
      </form>
    </Section>
  );
}

function CredentialButtons({
  actions,
  onTest,
  configured,
}: {
  actions: ReturnType<typeof useCredentialActions>;
  onTest: () => void;
  configured: boolean;
}) {
  return (
    <div className="flex flex-wrap gap-2">
      <Button type="submit" variant="primary" disabled={actions.busy}>
        {t('options_save')}
      </Button>
      <Button onClick={onTest} disabled={actions.busy}>
        {t('options_testConnection')}
      </Button>
      {configured && (
        <Button variant="danger" onClick={() => actions.remove.mutate()} disabled={actions.busy}>
          {t('options_remove')}
        </Button>
      )}
    </div>
  );
}

/** A default scope is for any site, so "This page" is not one. */
const defaultScopes: Scope[] = ['domain_with_subdomains', 'domain'];

function DefaultsSection() {
  const preferences = usePreferences();
  const [message, setMessage] = useState<StatusMessage | null>(null);
  return (
    <Section title={t('options_defaults')}>
      {preferences ? (
        <DefaultsForm preferences={preferences} onMessage={setMessage} />
      ) : (
        <p className={`text-sm ${mutedText}`}>{t('options_loading')}</p>
      )}
      <StatusLine message={message} />
    </Section>
  );
}

function DefaultsForm({ preferences, onMessage }: { preferences: Preferences; onMessage: (message: StatusMessage) => void }) {
  // What the user is typing in "Page size"; null shows the saved value.
  const [pageSizeText, setPageSizeText] = useState<string | null>(null);
  const followHintId = useId();

  async function update(change: Partial<Preferences>) {
    try {
      // Merge into what storage holds now: the prop may not have caught up with a change just made.
      await preferencesItem.setValue({ ...(await getPreferences()), ...change });
      onMessage({ tone: 'ok', text: t('options_defaultsSaved') });
    } catch {
      onMessage({ tone: 'error', text: t('options_defaultsNotSaved') });
    }
  }

  function changePageSize(text: string) {
    setPageSizeText(text);
    const value = Number(text);
    const { min, max } = settingBounds.pageSize;
    if (Number.isInteger(value) && value >= min && value <= max) void update({ pageSize: value });
    else onMessage({ tone: 'error', text: t('options_pageSizeRange', [String(min), String(max)]) });
  }

  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label={t('options_provider')}>
        {(id) => (
          <select id={id} className={inputClass} value={preferences.provider} onChange={(event) => void update({ provider: event.target.value as Preferences['provider'] })}>
            <option value="serpstat">Serpstat</option>
            <option value="dataforseo">DataForSEO</option>
          </select>
        )}
      </Field>
      <Field label={t('options_scope')}>
        {(id) => (
          <select id={id} className={inputClass} value={preferences.scope} onChange={(event) => void update({ scope: event.target.value as Preferences['scope'] })}>
            {defaultScopes.map((scope) => (
              <option key={scope} value={scope}>
                {scopeLabel(scope)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('options_pageSize')}>
        {(id) => (
          <input
            id={id}
            type="number"
            min={settingBounds.pageSize.min}
            max={settingBounds.pageSize.max}
            step={10}
            className={inputClass}
            value={pageSizeText ?? String(preferences.pageSize)}
            onChange={(event) => changePageSize(event.target.value)}
            onBlur={() => setPageSizeText(null)}
          />
        )}
      </Field>
      <Field label={t('options_serpstatRate')}>
        {(id) => (
          <select
            id={id}
            className={inputClass}
            value={preferences.serpstatRequestsPerSecond}
            onChange={(event) => void update({ serpstatRequestsPerSecond: Number(event.target.value) })}
          >
            {SERPSTAT_REQUESTS_PER_SECOND.map((rate) => (
              <option key={rate} value={rate}>
                {rate === 1 ? t('options_rateMostPlans', [String(rate)]) : rate === 10 ? t('options_rateTopPlans', [String(rate)]) : rate}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('options_dataforseoPagesAtOnce')}>
        {(id) => (
          <select
            id={id}
            className={inputClass}
            value={preferences.dataforseoPagesAtOnce}
            onChange={(event) => void update({ dataforseoPagesAtOnce: Number(event.target.value) })}
          >
            {DATAFORSEO_PAGES_AT_ONCE.map((pages) => (
              <option key={pages} value={pages}>
                {pages === defaultPreferences.dataforseoPagesAtOnce ? t('options_pagesAtOnceDefault', [String(pages)]) : pages}
              </option>
            ))}
          </select>
        )}
      </Field>
      <label className="flex items-start gap-2 text-sm sm:col-span-2">
        <input
          type="checkbox"
          className="mt-0.5"
          checked={preferences.lookUpFollowedTab}
          onChange={(event) => void update({ lookUpFollowedTab: event.target.checked })}
          aria-describedby={followHintId}
        />
        <span>
          <span className="font-medium">{t('options_lookUpFollowedTab')}</span>
          <span id={followHintId} className={`block ${mutedText}`}>
            {t('options_lookUpFollowedTabHint')}
          </span>
        </span>
      </label>
    </div>
  );
}
