/**
 * npm run docs:privacy — writes docs/privacy.md from the privacy policy's English catalogue
 * messages (lib/ui/privacy-policy.ts), the same text the options page shows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { privacyMarkdown } from '../lib/ui/privacy-policy';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const PRIVACY_DOC = path.join(projectRoot, 'docs', 'privacy.md');

const english = JSON.parse(readFileSync(path.join(projectRoot, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, { message: string }>;
writeFileSync(PRIVACY_DOC, privacyMarkdown((key) => english[key]!.message));
console.log(`Wrote ${path.relative(projectRoot, PRIVACY_DOC)}`);
