import { Button } from '@/components/ui';
import { t } from '@/lib/shared/i18n';

export interface TargetNavigationProps {
  pinned: boolean;
  canGoBack: boolean;
  canGoForward: boolean;
  onBack: () => void;
  onForward: () => void;
  onPinnedChange: (pinned: boolean) => void;
}

const iconProps = { 'aria-hidden': true, viewBox: '0 0 16 16', className: 'size-4', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8 } as const;

/** Back / Forward through the targets shown, and Pin: keep this target while browsing other tabs. */
export function TargetNavigation({ pinned, canGoBack, canGoForward, onBack, onForward, onPinnedChange }: TargetNavigationProps) {
  return (
    <div role="toolbar" aria-label={t('navigation_target')} className="flex shrink-0 items-center gap-1">
      <Button aria-label={t('navigation_back')} title={t('navigation_backTitle')} disabled={!canGoBack} onClick={onBack} className="px-1.5">
        <svg {...iconProps}>
          <path d="M10 3 5 8l5 5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </Button>
      <Button aria-label={t('navigation_forward')} title={t('navigation_forwardTitle')} disabled={!canGoForward} onClick={onForward} className="px-1.5">
        <svg {...iconProps}>
          <path d="m6 3 5 5-5 5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </Button>
      <Button
        aria-pressed={pinned}
        title={pinned ? t('navigation_pinnedTitle') : t('navigation_followingTitle')}
        onClick={() => onPinnedChange(!pinned)}
        variant={pinned ? 'primary' : 'secondary'}
      >
        <svg {...iconProps}>
          <path d="M6 2h4l-.5 4 2.5 2.5H4L6.5 6 6 2Zm2 6.5V14" strokeLinejoin="round" />
        </svg>
        {t('navigation_pin')}
      </Button>
    </div>
  );
}
