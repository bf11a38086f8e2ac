import { describe, expect, it } from 'vitest';
import { targetFromInput, targetFromTabUrl } from '../../lib/domain';
import { canGoBackFrom, initialPanelTarget, panelTargetReducer, type PanelTarget, type PanelTargetAction } from '../../lib/panel-target';

const tab = (url: string): PanelTargetAction => ({ type: 'tab', parse: targetFromTabUrl(url) });
const lookUp = (text: string): PanelTargetAction => ({ type: 'lookUp', parse: targetFromInput(text) });
const run = (state: PanelTarget, ...actions: PanelTargetAction[]) => actions.reduce(panelTargetReducer, state);
const shown = (state: PanelTarget) => (state.followed.state === 'ready' && state.followed.parse.ok ? state.followed.parse.domain : state.followed.state);

describe('panelTargetReducer', () => {
  it('follows tabs until pinned, then holds the target', () => {
    const following = run(initialPanelTarget(null), tab('https://a.example.com/'), tab('https://b.example.org/x'));
    expect(shown(following)).toBe('example.org');
    const pinned = run(following, { type: 'setPinned', pinned: true }, tab('https://c.example.net/'), { type: 'noTab' });
    expect(shown(pinned)).toBe('example.org');
    expect(pinned.pinned).toBe(true);
  });

  it('asks to follow the active tab again when unpinned', () => {
    const pinned = run(initialPanelTarget(null), tab('https://a.example.com/'), { type: 'setPinned', pinned: true });
    const unpinned = run(pinned, { type: 'setPinned', pinned: false });
    expect(unpinned.followRequests).toBe(pinned.followRequests + 1);
    expect(shown(run(unpinned, tab('https://c.example.net/')))).toBe('example.net');
  });

  it('pins a looked-up target and a target given on opening', () => {
    expect(run(initialPanelTarget(null), tab('https://a.example.com/'), lookUp('typed.example')).pinned).toBe(true);
    expect(initialPanelTarget(targetFromInput('given.example')).pinned).toBe(true);
  });

  it('goes back and forward through the targets shown, pinning the one gone back to', () => {
    const visited = run(initialPanelTarget(null), tab('https://a.example.com/'), tab('https://b.example.org/'), lookUp('c-example.net'));
    const back = run(visited, { type: 'back' });
    expect(shown(back)).toBe('example.org');
    expect(back.pinned).toBe(true);
    expect(shown(run(back, { type: 'back' }))).toBe('example.com');
    expect(shown(run(back, { type: 'forward' }))).toBe('c-example.net');
    expect(run(visited, { type: 'forward' })).toBe(visited);
  });

  it('shows an explanation without adding it to the history; Back returns to the last real target', () => {
    const state = run(initialPanelTarget(null), tab('https://a.example.com/'), tab('chrome://settings/'));
    expect(state.followed.state === 'ready' && state.followed.parse.ok).toBe(false);
    expect(state.history.entries).toHaveLength(1);
    expect(canGoBackFrom(state)).toBe(true);
    const back = run(state, { type: 'back' });
    expect(shown(back)).toBe('example.com');
    expect(canGoBackFrom(back)).toBe(false);
  });
});
