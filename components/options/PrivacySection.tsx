import { t } from '@/lib/shared/i18n';
import { privacyPolicy, PRIVACY_TITLE_KEY } from '@/lib/ui/privacy-policy';
import { Section } from './layout';

/** The privacy policy in the UI's language: the same messages docs/privacy.md is written from. */
export function PrivacySection() {
  return (
    <Section title={t(PRIVACY_TITLE_KEY)} anchor="privacy">
      <div className="flex flex-col gap-2 text-sm">
        {privacyPolicy.map((part, index) =>
          part.kind === 'heading' ? (
            <h3 key={index} className="mt-2 font-semibold">
              {t(part.key)}
            </h3>
          ) : part.kind === 'paragraph' ? (
            <p key={index}>{t(part.key)}</p>
          ) : (
            <ul key={index} className="list-disc space-y-1 pl-5">
              {part.keys.map((key) => (
                <li key={key}>{t(key)}</li>
              ))}
            </ul>
          ),
        )}
      </div>
    </Section>
  );
}
