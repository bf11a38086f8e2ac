import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The walls between the rooms (eslint.config.js, docs/architecture.md), held against planted files.
const eslint = new ESLint({ cwd: join(__dirname, '../../..') });

async function wallMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'rooms/walls').map((message) => message.message);
}

describe('the walls between background, UI and shared code', () => {
  it.each([
    ['components/Planted.tsx', "import { adapters } from '@/lib/background/providers';", 'ui code may not import background code'],
    ['lib/ui/planted.ts', "import { createLedger } from '../background/ledger';", 'ui code may not import background code'],
    ['entrypoints/popup/planted.ts', "export { serpstat } from '@/lib/background/providers/serpstat';", 'ui code may not import background code'],
    ['entrypoints/sidepanel/main.tsx', "const keys = await import('../../lib/background/keys');", 'ui code may not import background code'],
    ['lib/background/planted.ts', "import { formatCredits } from '@/lib/ui/format';", 'background code may not import ui code'],
    ['entrypoints/background.ts', "import { ReportTab } from '@/components/ReportTab';", 'background code may not import ui code'],
    ['lib/shared/planted.ts', "import type { PageCache } from '../background/cache/page-cache';", 'shared code may not import background code'],
    ['lib/shared/planted.ts', "import { sendRequest } from '@/lib/ui/messaging/client';", 'shared code may not import ui code'],
  ])('%s: %s is refused', async (file, code, refusal) => {
    const messages = await wallMessages(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(refusal);
  });

  it.each([
    ['components/Planted.tsx', "import { providerCatalogue } from '@/lib/shared/providers';"],
    ['lib/ui/planted.ts', "import { t } from '../shared/i18n';"],
    ['lib/background/planted.ts', "import type { TableQuery } from '../shared/reports';"],
    ['lib/background/planted.ts', "import { acceptTablePort } from './table-server';"],
    ['lib/shared/planted.ts', "import { z } from 'zod';"],
    ['tests/unit/planted.test.ts', "import { adapters } from '../../lib/background/providers';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await wallMessages(file, code)).toEqual([]);
  });

  it('refuses a file under lib/ that is in no room', async () => {
    expect(await wallMessages('lib/planted.ts', 'export const planted = 1;')).toEqual([
      'Every file under lib/ lives in lib/background/, lib/ui/ or lib/shared/ (docs/architecture.md).',
    ]);
  });
});
