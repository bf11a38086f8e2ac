/**
 * What each surface of the built extension downloads before it can run: the page's entry
 * script and every chunk it imports statically (dynamic `import()` is left out: it loads
 * later, if at all), and its stylesheets, linked or inline. Raw and gzipped bytes per file and per surface.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileSize {
  /** Relative to the output folder, with forward slashes. */
  file: string;
  raw: number;
  gzip: number;
}

export interface SurfaceSize {
  js: { raw: number; gzip: number; files: FileSize[] };
  css: { raw: number; gzip: number; files: FileSize[] };
}

/** gzip at the default level, as a server or a store would compress it. */
export function fileSize(outputDir: string, file: string): FileSize {
  const bytes = readFileSync(path.join(outputDir, file));
  return { file, raw: bytes.length, gzip: gzipSync(bytes).length };
}

/**
 * The `<script src>` and stylesheet `<link href>` of an HTML page, as paths inside the output
 * folder, and the text of its `<style>` elements (the popup's stylesheet is inline).
 */
export function htmlAssets(html: string): { scripts: string[]; styles: string[]; inlineStyles: string[] } {
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}=["']([^"']+)["']`).exec(tag)?.[1];
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => attribute(match[0], 'src'));
  const styles = [...html.matchAll(/<link\b[^>]*>/g)]
    .filter((match) => /\srel=["']stylesheet["']/.test(match[0]))
    .map((match) => attribute(match[0], 'href'));
  const inOutput = (href: string | undefined): href is string => href !== undefined && !/^[a-z]+:/i.test(href);
  const inlineStyles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((match) => match[1]!);
  return { scripts: scripts.filter(inOutput).map(stripLeadingSlash), styles: styles.filter(inOutput).map(stripLeadingSlash), inlineStyles };
}

/** Relative module specifiers of the static imports and re-exports in (minified) ES module code. */
export function staticImports(code: string): string[] {
  // `import{a}from"./x.js"`, `export*from"./x.js"`, `import"./x.js"`; never `import("./x.js")`.
  const pattern = /(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+)["']/g;
  return [...new Set([...code.matchAll(pattern)].map((match) => match[1]!))];
}

/** Every JS file `entry` loads before it runs: itself and its static imports, transitively. */
export function staticModuleGraph(outputDir: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(path.join(outputDir, file), 'utf8');
    for (const specifier of staticImports(code)) {
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
    }
  };
  visit(entry);
  return [...seen];
}

function total(files: FileSize[]) {
  return { raw: files.reduce((sum, f) => sum + f.raw, 0), gzip: files.reduce((sum, f) => sum + f.gzip, 0), files };
}

/** The first-load size of an HTML page of the build (popup.html, sidepanel.html). */
export function pageSize(outputDir: string, htmlFile: string): SurfaceSize {
  const { scripts, styles, inlineStyles } = htmlAssets(readFileSync(path.join(outputDir, htmlFile), 'utf8'));
  const jsFiles = [...new Set(scripts.flatMap((script) => staticModuleGraph(outputDir, script)))];
  const inline = inlineStyles.map((css, index): FileSize => {
    const bytes = Buffer.from(css);
    return { file: `${htmlFile} <style> ${index + 1}`, raw: bytes.length, gzip: gzipSync(bytes).length };
  });
  return { js: total(jsFiles.map((file) => fileSize(outputDir, file))), css: total([...styles.map((file) => fileSize(outputDir, file)), ...inline]) };
}

/** The background service worker's script and its static imports (it has no CSS). */
export function scriptSize(outputDir: string, scriptFile: string): SurfaceSize {
  if (!existsSync(path.join(outputDir, scriptFile))) throw new Error(`No ${scriptFile} in ${outputDir}: build the extension first`);
  return { js: total(staticModuleGraph(outputDir, scriptFile).map((file) => fileSize(outputDir, file))), css: total([]) };
}

function stripLeadingSlash(href: string): string {
  return href.replace(/^\/+/, '');
}
