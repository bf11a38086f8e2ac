import type { KeyWithoutPlaceholders } from '@/lib/shared/i18n';

/**
 * The privacy policy, one catalogue message per block: the options page shows it in the UI's
 * language (PrivacySection), and docs/privacy.md is the English text of the same blocks
 * (`npm run docs:privacy`; a unit test fails when the file and the catalogue differ). So the
 * extension shows it offline, translated, and there is no second copy to drift.
 */
export type PrivacyPart =
  | { kind: 'heading'; key: KeyWithoutPlaceholders }
  | { kind: 'paragraph'; key: KeyWithoutPlaceholders }
  | { kind: 'list'; keys: KeyWithoutPlaceholders[] };

export const PRIVACY_TITLE_KEY = 'privacy_title' satisfies KeyWithoutPlaceholders;

export const privacyPolicy: readonly PrivacyPart[] = [
  { kind: 'paragraph', key: 'privacy_summary' },
  { kind: 'heading', key: 'privacy_storedHeading' },
  { kind: 'list', keys: ['privacy_storedKeys', 'privacy_storedSettings', 'privacy_storedCache', 'privacy_storedLooks', 'privacy_storedLedger', 'privacy_storedSession'] },
  { kind: 'heading', key: 'privacy_sentHeading' },
  { kind: 'list', keys: ['privacy_sentLookup', 'privacy_sentTest', 'privacy_sentNothing'] },
  { kind: 'paragraph', key: 'privacy_sentProviders' },
  { kind: 'heading', key: 'privacy_neverHeading' },
  { kind: 'list', keys: ['privacy_neverTracking', 'privacy_neverPages', 'privacy_neverKeys'] },
  { kind: 'heading', key: 'privacy_controlHeading' },
  { kind: 'paragraph', key: 'privacy_control' },
];

export const PRIVACY_DOC_NOTE =
  '<!-- Written by `npm run docs:privacy` from public/_locales/en/messages.json (the text Options shows): edit the catalogue, then run it. -->';

/** The policy as Markdown, each message read with `message`: docs/privacy.md is this with the English catalogue. */
export function privacyMarkdown(message: (key: KeyWithoutPlaceholders) => string): string {
  const parts = [PRIVACY_DOC_NOTE, `# ${message(PRIVACY_TITLE_KEY)}`];
  for (const part of privacyPolicy) {
    if (part.kind === 'heading') parts.push(`## ${message(part.key)}`);
    else if (part.kind === 'paragraph') parts.push(message(part.key));
    else parts.push(part.keys.map((key) => `- ${message(key)}`).join('\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
