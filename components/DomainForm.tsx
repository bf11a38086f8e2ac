import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Target } from '@/lib/shared/target-parse';
import { resolveTarget } from '@/lib/ui/resolve-target';
import { t } from '@/lib/shared/i18n';
import { Button, inputClass } from './ui';

export interface DomainFormProps {
  onTarget: (target: Target) => void;
  /** A second box on the same page (Link gap's competitor boxes) is named apart from the panel's own. */
  label?: string;
  name?: string;
  submitLabel?: string;
  /** Why a valid domain is still not taken (one already compared), or null; the box then keeps it. */
  refuse?: (target: Target) => string | null;
}

/** The "Domain" box: a valid domain becomes the target; anything else explains itself and sends nothing. */
export function DomainForm({ onTarget, label, name, submitLabel, refuse }: DomainFormProps) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const problemId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = await resolveTarget('typed', text);
    const refused = parsed.ok ? (refuse?.(parsed) ?? null) : parsed.message;
    if (!parsed.ok || refused) {
      setProblem(refused);
      return;
    }
    setProblem(null);
    if (refuse) setText('');
    onTarget(parsed);
  }

  return (
    <form role="search" aria-label={name ?? t('domainForm_name')} onSubmit={(event) => void submit(event)} noValidate>
      <div className="flex items-center gap-2">
        <label htmlFor={inputId} className="shrink-0 text-sm font-medium">
          {label ?? t('domainForm_label')}
        </label>
        <input
          id={inputId}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="example.com"
          className={inputClass}
          value={text}
          onChange={(event) => setText(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
        />
        <Button type="submit" variant="primary" className="shrink-0">
          {submitLabel ?? t('domainForm_submit')}
        </Button>
      </div>
      {problem && (
        <p id={problemId} role="alert" className="mt-1 text-sm text-red-800 dark:text-red-300">
          {problem}
        </p>
      )}
    </form>
  );
}
