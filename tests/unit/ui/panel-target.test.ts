import { describe, expect, it } from 'vitest';
import { targetFromInput, targetFromTabUrl } from '../../../lib/background/domain';
import { canGoBackFrom, initialPanelTarget, panelTargetReducer, type PanelTarget, type PanelTargetAction } from '../../../lib/ui/panel-target';

const tab = (url: string): PanelTargetAction => ({ type: 'tab', parse: targetFromTabUrl(url) });
const lookUp = (text: string): PanelTargetAction => ({ type: 'lookUp', parse: targetFromInput(text) });
const run = (state: PanelTarget, ...actions: PanelTargetAction[]) => actions.reduce(panelTargetReducer, state);
const shown = (state: PanelTarget) => (state.followed.state === 'ready' && state.followed.parse.ok ? state.followed.parse.domain : state.followed.state);

describe('panelTargetReducer', () => {
  it('follows tabs until pinned, then holds the target', () => {
    const following = run(initialPanelTarget(), tab('https://a.example.com/'), tab('https://b.example.org/x'));
    expect(shown(following)).toBe('example.org');
    const pinned = run(following, { type: 'setPinned', pinned: true }, tab('https://c.example.net/'), { type: 'noTab' });
    expect(shown(pinned)).toBe('example.org');
    expect(pinned.pinned).toBe(true);
  });

  it('asks to follow the active tab again when unpinned', () => {
    const pinned = run(initialPanelTarget(), tab('https://a.example.com/'), { type: 'setPinned', pinned: true });
    const unpinned = run(pinned, { type: 'setPinned', pinned: false });
    expect(unpinned.followRequests).toBe(pinned.followRequests + 1);
    expect(shown(run(unpinned, tab('https://c.example.net/')))).toBe('example.net');
  });

  it('pins a looked-up target and a target given on opening', () => {
    expect(run(initialPanelTarget(), tab('https://a.example.com/'), lookUp('typed.example')).pinned).toBe(true);
    expect(run(initialPanelTarget(), lookUp('given.example')).pinned).toBe(true);
  });

  it('goes back and forward through the targets shown, pinning the one gone back to', () => {
    const visited = run(initialPanelTarget(), tab('https://a.example.com/'), tab('https://b.example.org/'), lookUp('c-example.net'));
    const back = run(visited, { type: 'back' });
    expect(shown(back)).toBe('example.org');
    expect(back.pinned).toBe(true);
    expect(shown(run(back, { type: 'back' }))).toBe('example.com');
    expect(shown(run(back, { type: 'forward' }))).toBe('c-example.net');
    expect(run(visited, { type: 'forward' })).toBe(visited);
  });

  it('shows an explanation without adding it to the history; Back returns to the last real target', () => {
    const state = run(initialPanelTarget(), tab('https://a.example.com/'), tab('chrome://settings/'));
    expect(state.followed.state === 'ready' && state.followed.parse.ok).toBe(false);
    expect(state.history.entries).toHaveLength(1);
    expect(canGoBackFrom(state)).toBe(true);
    const back = run(state, { type: 'back' });
    expect(shown(back)).toBe('example.com');
    expect(canGoBackFrom(back)).toBe(false);
  });
});

describe('panelTargetReducer: settling and Look up', () => {
  const settling = (url: string): PanelTargetAction => {
    const parse = targetFromTabUrl(url);
    if (!parse.ok) throw new Error(`${url} is no site`);
    return { type: 'tabSettling', parse };
  };
  const chosen = (state: PanelTarget) => state.followed.state === 'ready' && state.followed.chosen;

  it('shows a settling site without adding it to the history, and a settled one as not chosen', () => {
    const waiting = run(initialPanelTarget(), settling('https://a.example.com/'));
    expect(waiting.followed).toMatchObject({ state: 'settling', parse: { domain: 'example.com' } });
    expect(waiting.history.entries).toHaveLength(0);
    const settled = run(waiting, tab('https://a.example.com/'));
    expect(shown(settled)).toBe('example.com');
    expect(chosen(settled)).toBe(false);
    expect(settled.history.entries).toHaveLength(1);
  });

  it('marks as chosen what the user asked for: Look up, a typed domain, Back / Forward, a target given on opening', () => {
    const settled = run(initialPanelTarget(), tab('https://a.example.com/'), tab('https://b.example.org/'));
    expect(chosen(run(settled, { type: 'confirm' }))).toBe(true);
    expect(chosen(run(settled, lookUp('c-example.net')))).toBe(true);
    expect(chosen(run(settled, { type: 'back' }))).toBe(true);
    expect(chosen(run(initialPanelTarget(), lookUp('given.example')))).toBe(true);
    // Look up does nothing while the tab still settles.
    const waiting = run(settled, settling('https://d.example.net/'));
    expect(run(waiting, { type: 'confirm' })).toBe(waiting);
  });

  it('keeps Look up through the same site settling again, and forgets it for another site', () => {
    const confirmed = run(initialPanelTarget(), tab('https://a.example.com/'), { type: 'confirm' });
    expect(chosen(run(confirmed, tab('https://a.example.com/')))).toBe(true);
    expect(chosen(run(confirmed, settling('https://b.example.org/'), tab('https://b.example.org/')))).toBe(false);
  });

  it('ignores settling while pinned, and pinning a settling site keeps it', () => {
    const pinned = run(initialPanelTarget(), tab('https://a.example.com/'), { type: 'setPinned', pinned: true });
    expect(run(pinned, settling('https://b.example.org/'))).toBe(pinned);
    const kept = run(initialPanelTarget(), settling('https://b.example.org/'), { type: 'setPinned', pinned: true });
    expect(shown(kept)).toBe('example.org');
    expect(kept.pinned).toBe(true);
  });
});
