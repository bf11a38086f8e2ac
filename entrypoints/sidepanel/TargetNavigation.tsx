import { Button } from '@/components/ui';

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
    <div role="toolbar" aria-label="Target" className="flex shrink-0 items-center gap-1">
      <Button aria-label="Back" title="Back to the previous target" disabled={!canGoBack} onClick={onBack} className="px-1.5">
        <svg {...iconProps}>
          <path d="M10 3 5 8l5 5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </Button>
      <Button aria-label="Forward" title="Forward to the next target" disabled={!canGoForward} onClick={onForward} className="px-1.5">
        <svg {...iconProps}>
          <path d="m6 3 5 5-5 5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </Button>
      <Button
        aria-pressed={pinned}
        title={pinned ? 'Pinned: switching tabs keeps this target. Press to follow the active tab again.' : 'Following the active tab. Press to keep this target.'}
        onClick={() => onPinnedChange(!pinned)}
        variant={pinned ? 'primary' : 'secondary'}
      >
        <svg {...iconProps}>
          <path d="M6 2h4l-.5 4 2.5 2.5H4L6.5 6 6 2Zm2 6.5V14" strokeLinejoin="round" />
        </svg>
        Pin
      </Button>
    </div>
  );
}
