import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const projectRoot = import.meta.dirname;

/**
 * The rooms of the code, by where it runs (docs/architecture.md). A path ending in "/" is a folder.
 * Every file under lib/ belongs to one of them.
 */
const rooms = {
  background: ['lib/background/', 'entrypoints/background.ts', 'entrypoints/background/'],
  ui: ['lib/ui/', 'components/', 'entrypoints/popup/', 'entrypoints/sidepanel/', 'entrypoints/options/'],
  shared: ['lib/shared/'],
};
/** What each room may not import: the pages never load service-worker code, nor the worker page code. */
const walls = { background: ['ui'], ui: ['background'], shared: ['background', 'ui'] };

const withoutExtension = (path) => path.replace(/(\.d)?\.(ts|tsx|js|mjs)$/, '');

function roomOf(absolutePath) {
  const path = relative(projectRoot, absolutePath).split(sep).join('/');
  const bare = withoutExtension(path);
  const entry = Object.entries(rooms).find(([, places]) =>
    places.some((place) => (place.endsWith('/') ? path.startsWith(place) : bare === withoutExtension(place))),
  );
  return entry?.[0] ?? null;
}

/** The file a specifier names (relative or the `@/` alias), or null for a package. */
function resolveSpecifier(specifier, importer) {
  const alias = ['@/', '~/', '@@/', '~~/'].find((prefix) => specifier.startsWith(prefix));
  if (alias) return resolve(projectRoot, specifier.slice(alias.length));
  if (specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../')) {
    return resolve(dirname(importer), specifier);
  }
  return null;
}

const roomWalls = {
  meta: {
    type: 'problem',
    docs: { description: 'UI code imports no background code, background code no UI code, shared code neither.' },
    schema: [],
    messages: {
      wall: '{{from}} code may not import {{to}} code ("{{specifier}}"); move what both need to lib/shared/ (docs/architecture.md).',
      noRoom: 'Every file under lib/ lives in lib/background/, lib/ui/ or lib/shared/ (docs/architecture.md).',
    },
  },
  create(context) {
    const from = roomOf(context.filename);
    const inLib = relative(projectRoot, context.filename).split(sep)[0] === 'lib';
    const check = (source) => {
      if (!from || typeof source?.value !== 'string') return;
      const target = resolveSpecifier(source.value, context.filename);
      const to = target && roomOf(target);
      if (to && walls[from].includes(to)) {
        context.report({ node: source, messageId: 'wall', data: { from, to, specifier: source.value } });
      }
    };
    return {
      Program(node) {
        if (inLib && !from) context.report({ node, messageId: 'noRoom' });
      },
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.argument?.literal ?? node.argument),
    };
  },
};

export default tseslint.config(
  { ignores: ['.output', '.wxt', 'node_modules', 'test-results', 'playwright-report', 'bench/results*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.tsx', '**/*.ts'],
    plugins: { 'react-hooks': reactHooks, rooms: { rules: { walls: roomWalls } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'rooms/walls': 'error',
    },
  },
);
