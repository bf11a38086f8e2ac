import type { ButtonHTMLAttributes, ReactNode } from 'react';

/** Visible focus ring for every interactive element (WCAG 2.4.7). */
export const focusRing =
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 dark:focus-visible:outline-blue-400';

const buttonVariants = {
  primary: 'bg-blue-700 text-white hover:bg-blue-800 disabled:bg-blue-700/50 dark:bg-blue-500 dark:text-slate-950 dark:hover:bg-blue-400',
  secondary:
    'border border-slate-300 bg-white text-slate-800 hover:bg-slate-100 disabled:text-slate-400 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700',
  danger:
    'border border-red-300 bg-white text-red-800 hover:bg-red-50 dark:border-red-800 dark:bg-slate-800 dark:text-red-300 dark:hover:bg-red-950',
} as const;

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: keyof typeof buttonVariants;
}

export function Button({ variant = 'secondary', className = '', type = 'button', ...props }: ButtonProps) {
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center gap-1 rounded px-2.5 py-1 text-sm font-medium disabled:cursor-not-allowed ${buttonVariants[variant]} ${focusRing} ${className}`}
      {...props}
    />
  );
}

/** A text field or select without a width: callers size it (`w-20`, `flex-1`, …). */
export const fieldClass = `min-w-0 rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 placeholder:text-slate-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:placeholder:text-slate-400 ${focusRing}`;
/** A field that fills its row. */
export const inputClass = `w-full ${fieldClass}`;

/** Muted secondary text that still meets AA contrast in both schemes. */
export const mutedText = 'text-slate-600 dark:text-slate-300';

/** Placeholder bars while something loads; the caller marks the region aria-busy. */
export function Skeleton({ lines = 3 }: { lines?: number }) {
  return (
    <div className="animate-pulse space-y-2" aria-hidden="true">
      {Array.from({ length: lines }, (_, index) => (
        <div key={index} className="h-3 rounded bg-slate-200 dark:bg-slate-700" style={{ width: `${90 - index * 12}%` }} />
      ))}
    </div>
  );
}

export function Notice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'error' }) {
  const toneClass =
    tone === 'error'
      ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100'
      : 'border-slate-300 bg-slate-50 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';
  return <div className={`rounded border p-2 text-sm ${toneClass}`}>{children}</div>;
}
