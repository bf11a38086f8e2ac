import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { t } from '@/lib/shared/i18n';
import { getPreferences, preferencesItem, settingBounds } from '@/lib/shared/settings';
import { resolveTarget } from '@/lib/ui/resolve-target';
import { Button, inputClass, mutedText } from '@/components/ui';
import { usePreferences } from '@/components/usePreferences';
import { Section, StatusLine, useFocusWhenLinked } from './layout';
import type { StatusMessage } from './useCredentialActions';

/** A site as the providers tell sites apart: its host, without www. */
const siteOf = (host: string) => host.replace(/^www\./, '');

/**
 * My sites: the user's own domains, for Link gap (the first is the default). Each line is read like
 * the Domain box (by the background); one that is no site is explained and nothing is saved.
 */
export function MySitesSection() {
  const preferences = usePreferences();
  const [text, setText] = useState<string | null>(null);
  const [message, setMessage] = useState<StatusMessage | null>(null);
  const fieldId = useId();
  const hintId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  useFocusWhenLinked('mySites', field);
  const saved = preferences?.mySites ?? [];

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const lines = (text ?? saved.join('\n'))
      .split(/[\n,]/)
      .map((line) => line.trim())
      .filter(Boolean);
    const sites: string[] = [];
    for (const line of lines) {
      const parsed = await resolveTarget('typed', line);
      if (!parsed.ok) {
        setMessage({ tone: 'error', text: t('options_mySiteInvalid', [line, parsed.message]) });
        return;
      }
      const site = siteOf(parsed.host);
      if (!sites.includes(site)) sites.push(site);
    }
    if (sites.length > settingBounds.mySites.max) {
      setMessage({ tone: 'error', text: t('options_mySitesTooMany', [String(settingBounds.mySites.max)]) });
      return;
    }
    try {
      await preferencesItem.setValue({ ...(await getPreferences()), mySites: sites });
      setText(null);
      setMessage({ tone: 'ok', text: t('options_mySitesSaved') });
    } catch {
      setMessage({ tone: 'error', text: t('options_defaultsNotSaved') });
    }
  }

  return (
    <Section title={t('options_mySitesSection')} anchor="mySites">
      <form onSubmit={(event) => void save(event)} noValidate className="space-y-2">
        <label htmlFor={fieldId} className="block text-sm font-medium">
          {t('options_mySites')}
        </label>
        <textarea
          ref={field}
          id={fieldId}
          rows={3}
          autoComplete="off"
          spellCheck={false}
          placeholder="my-shop.com"
          className={inputClass}
          value={text ?? saved.join('\n')}
          onChange={(event) => setText(event.target.value)}
          aria-describedby={hintId}
        />
        <p id={hintId} className={`text-sm ${mutedText}`}>
          {t('options_mySitesHint')}
        </p>
        <Button type="submit" variant="primary" disabled={!preferences}>
          {t('options_mySitesSave')}
        </Button>
      </form>
      <StatusLine message={message} />
    </Section>
  );
}
