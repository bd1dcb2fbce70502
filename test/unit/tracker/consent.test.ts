import { Window as HappyWindow } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConsentState,
  readDecision,
  refusalSignal,
  sendingPolicy,
  type ConsentInputs,
  type Sending,
} from '../../../lib/tracker/consent';

/** A page of the customer's site: a real cookie jar (happy-dom) and a navigator we can set signals on. */
function site(signals: { gpc?: boolean; dnt?: string } = {}) {
  const happy = new HappyWindow({ url: 'https://shop.example.com/pricing' });
  Object.defineProperty(happy.navigator, 'globalPrivacyControl', { value: signals.gpc, configurable: true });
  Object.defineProperty(happy.navigator, 'doNotTrack', { value: signals.dnt ?? null, configurable: true });
  opened.push(happy);
  return happy as unknown as Window;
}
const opened: HappyWindow[] = [];
afterEach(async () => {
  for (const happy of opened.splice(0)) await happy.happyDOM.close();
});

describe('sendingPolicy', () => {
  it.each<[ConsentInputs, Sending]>([
    [{ mode: undefined, decision: 'granted', refusalSignal: false }, 'hold'],
    [{ mode: 'none', decision: undefined, refusalSignal: false }, 'identified'],
    [{ mode: 'none', decision: 'denied', refusalSignal: false }, 'nothing'],
    [{ mode: 'none', decision: undefined, refusalSignal: true }, 'nothing'],
    [{ mode: 'required', decision: undefined, refusalSignal: false }, 'hold'],
    [{ mode: 'required', decision: 'granted', refusalSignal: false }, 'identified'],
    [{ mode: 'required', decision: 'denied', refusalSignal: false }, 'nothing'],
    [{ mode: 'required', decision: 'granted', refusalSignal: true }, 'nothing'],
    [{ mode: 'cookieless', decision: undefined, refusalSignal: false }, 'anonymous'],
    [{ mode: 'cookieless', decision: 'granted', refusalSignal: false }, 'identified'],
    [{ mode: 'cookieless', decision: 'denied', refusalSignal: false }, 'anonymous'],
    [{ mode: 'cookieless', decision: 'granted', refusalSignal: true }, 'anonymous'],
  ])('%j → %s', (inputs, expected) => {
    expect(sendingPolicy(inputs)).toBe(expected);
  });
});

describe('refusalSignal', () => {
  it('honours Global Privacy Control always, Do Not Track only when the portal asks', () => {
    expect(refusalSignal(site({ gpc: true }), false)).toBe(true);
    expect(refusalSignal(site({ dnt: '1' }), false)).toBe(false);
    expect(refusalSignal(site({ dnt: '1' }), true)).toBe(true);
    expect(refusalSignal(site({ dnt: '0' }), true)).toBe(false);
    expect(refusalSignal(site(), true)).toBe(false);
  });
});

describe('ConsentState', () => {
  const track = (win: Window) => {
    const calls: [Sending, boolean][] = [];
    const state = new ConsentState(win, (sending, revoked) => calls.push([sending, revoked]));
    return { state, calls };
  };

  it('stores nothing before the config, and persists consent once the mode is known', () => {
    const win = site();
    const { state, calls } = track(win);
    state.decide(true);
    expect(win.document.cookie).toBe('');
    state.configure({ consentMode: 'required', respectDoNotTrack: false });
    expect(readDecision(win.document)).toBe('granted');
    expect(calls.at(-1)).toEqual(['identified', false]);
  });

  it('reads the consent an earlier page stored', () => {
    const win = site();
    win.document.cookie = 'clicktrail_consent=granted; path=/';
    const { state } = track(win);
    state.configure({ consentMode: 'required', respectDoNotTrack: false });
    expect(state.sending).toBe('identified');
  });

  it('revokes: forgets the stored consent and reports the revocation', () => {
    const win = site();
    win.document.cookie = 'clicktrail_consent=granted; path=/';
    const { state, calls } = track(win);
    state.configure({ consentMode: 'cookieless', respectDoNotTrack: false });
    state.decide(false);
    expect(readDecision(win.document)).toBeUndefined();
    expect(win.document.cookie).toBe('');
    expect(calls.at(-1)).toEqual(['anonymous', true]);
  });

  it('keeps an opt-out in mode none (storage is allowed there) so it sticks on the next page', () => {
    const win = site();
    const { state } = track(win);
    state.configure({ consentMode: 'none', respectDoNotTrack: false });
    state.decide(false);
    expect(readDecision(win.document)).toBe('denied');
    expect(track(win).state.sending).toBe('hold');
  });

  it('stores no refusal in required mode: refusing is the default there', () => {
    const win = site();
    const { state } = track(win);
    state.configure({ consentMode: 'required', respectDoNotTrack: false });
    state.decide(false);
    expect(win.document.cookie).toBe('');
    expect(state.sending).toBe('nothing');
  });

  it('lets Global Privacy Control override the site: consent is neither used nor stored', () => {
    const win = site({ gpc: true });
    const { state } = track(win);
    state.configure({ consentMode: 'required', respectDoNotTrack: false });
    state.decide(true);
    expect(state.sending).toBe('nothing');
    expect(win.document.cookie).toBe('');
  });

  it('treats Do Not Track as a refusal when the portal respects it', () => {
    const win = site({ dnt: '1' });
    const { state } = track(win);
    state.configure({ consentMode: 'none', respectDoNotTrack: false });
    expect(state.sending).toBe('identified');
    state.configure({ consentMode: 'none', respectDoNotTrack: true });
    expect(state.sending).toBe('nothing');
  });
});
