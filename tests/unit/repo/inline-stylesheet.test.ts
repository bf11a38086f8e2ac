import { describe, expect, it } from 'vitest';
import { inlineLinkedStylesheets } from '../../../scripts/inline-stylesheet';

const files: Record<string, string> = { 'assets/shared.css': 'body{margin:0}', 'assets/closing.css': 'a::after{content:"</style>"}' };
const read = (file: string) => files[file] ?? null;

describe('a page’s stylesheets put into the page', () => {
  it('replaces each linked stylesheet with a <style> of its text, and leaves scripts and preloads', () => {
    const html = '<script src="/popup-start.js"></script><link rel="modulepreload" crossorigin href="/chunks/x.js"><link rel="stylesheet" crossorigin href="/assets/shared.css">';
    expect(inlineLinkedStylesheets(html, read)).toBe('<script src="/popup-start.js"></script><link rel="modulepreload" crossorigin href="/chunks/x.js"><style>body{margin:0}</style>');
  });

  it('leaves linked a stylesheet it cannot read, or one whose text would end the element early', () => {
    const html = '<link rel="stylesheet" href="/assets/missing.css"><link rel="stylesheet" href="/assets/closing.css">';
    expect(inlineLinkedStylesheets(html, read)).toBe(html);
  });
});
