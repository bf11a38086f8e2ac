import { launchExtensionBrowser } from './e2e/extension-browser';
const ext = await launchExtensionBrowser({ headless: true, language: 'de' });
// eslint-disable-next-line
const probe = () => [(globalThis as any).chrome.i18n.getUILanguage(), navigator.language];
const a = await ext.context.newPage();
await a.goto(ext.extensionUrl('options.html'));
console.log('first', await a.evaluate(probe));
await a.goto(ext.extensionUrl('options.html#welcome'));
console.log('hash', await a.evaluate(probe));
await a.reload();
console.log('reload', await a.evaluate(probe));
const b = await ext.context.newPage();
await b.goto(ext.extensionUrl('options.html'));
console.log('second page', await b.evaluate(probe));
await ext.close();
