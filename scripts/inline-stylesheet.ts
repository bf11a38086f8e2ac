import type { Plugin } from 'vite';

/**
 * Puts the stylesheets an HTML page links to into the page itself, as a `<style>` element: each
 * linked stylesheet is one more file the browser fetches, and the page's module scripts wait for
 * it before they run. For the popup, which is timed from its document start; the stylesheet file
 * stays for the pages that still link to it. `page` is the HTML file as the bundle names it.
 */
export function inlineStylesheets(page: string): Plugin {
  return {
    name: 'backlink-lens:inline-stylesheets',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle[page];
      if (html?.type !== 'asset') return;
      html.source = inlineLinkedStylesheets(String(html.source), (file) => {
        const css = bundle[file];
        return css?.type === 'asset' ? String(css.source) : null;
      });
    },
  };
}

/** `html` with each `<link rel="stylesheet">` whose file `read` has replaced by a `<style>` of it. */
export function inlineLinkedStylesheets(html: string, read: (file: string) => string | null): string {
  return html.replace(/<link\b[^>]*\brel="stylesheet"[^>]*>/g, (link) => {
    const href = /\bhref="\/?([^"]+)"/.exec(link)?.[1];
    const css = href === undefined ? null : read(href);
    // A stylesheet that could end the element early is left linked.
    return css === null || /<\/style/i.test(css) ? link : `<style>${css}</style>`;
  });
}
