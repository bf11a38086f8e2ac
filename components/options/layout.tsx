import { useEffect, useId, useState } from 'react';
import type { InputHTMLAttributes, ReactNode, Ref, RefObject } from 'react';
import type { OptionsAnchor } from '@/lib/shared/options-link';
import { inputClass } from '@/components/ui';
import type { StatusMessage } from './useCredentialActions';

/** A titled options section, named by its heading for screen readers and tests; `anchor` is its #id for links. */
export function Section({ title, anchor, children }: { title: string; anchor?: OptionsAnchor; children: ReactNode }) {
  const headingId = useId();
  return (
    <section id={anchor} aria-labelledby={headingId} className="scroll-mt-4 rounded-lg border border-slate-300 p-4 dark:border-slate-600">
      <h2 id={headingId} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/** A key or login box: no autofill and no spell check (a key is not a word). */
export function CredentialInput(props: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return <input autoComplete="off" spellCheck={false} className={inputClass} {...props} />;
}

/** The section's aria-live line: the result of whatever the user just did there. */
export function StatusLine({ message }: { message: StatusMessage | null }) {
  const tone = message?.tone === 'error' ? 'text-red-800 dark:text-red-300' : 'text-green-800 dark:text-green-300';
  return (
    <p role="status" aria-live="polite" className={`min-h-5 text-sm ${tone}`}>
      {message?.text}
    </p>
  );
}

/** The page address's #anchor without the '#', kept current as links change it. */
export function useLocationHash(): string {
  const [hash, setHash] = useState(() => location.hash.slice(1));
  useEffect(() => {
    const update = () => setHash(location.hash.slice(1));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

/** Focuses `field` when the page is opened (or linked again) at `#anchor`, e.g. options.html#serpstat from "Open options". */
export function useFocusWhenLinked(anchor: OptionsAnchor, field: RefObject<HTMLElement | null>): void {
  const hash = useLocationHash();
  useEffect(() => {
    if (hash === anchor) field.current?.focus();
  }, [hash, anchor, field]);
}
