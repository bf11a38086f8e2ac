import { useId } from 'react';
import type { ReactNode } from 'react';
import type { StatusMessage } from './useCredentialActions';

/** A titled options section, named by its heading for screen readers and tests. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-300 p-4 dark:border-slate-600">
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

/** The section's aria-live line: the result of whatever the user just did there. */
export function StatusLine({ message }: { message: StatusMessage | null }) {
  const tone = message?.tone === 'error' ? 'text-red-800 dark:text-red-300' : 'text-green-800 dark:text-green-300';
  return (
    <p role="status" aria-live="polite" className={`min-h-5 text-sm ${tone}`}>
      {message?.text}
    </p>
  );
}
