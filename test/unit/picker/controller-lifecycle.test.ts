// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPickerController } from '../../../lib/picker/controller';

/** Lets the page's and the controller's mutation observers run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(alive: () => boolean = () => true) {
  document.body.innerHTML = '<button id="buy" type="button">Buy</button>';
  const host = document.createElement('clicktrail-picker');
  document.documentElement.append(host);
  const abort = new AbortController();
  const controller = createPickerController({ window, host, signal: abort.signal, alive });
  return { host, controller, abort, phase: () => controller.store.getState().view.phase };
}

/** Whether a click on the page's button reaches the page (the picker blocks it while picking). */
function clickReachesPage(): boolean {
  const click = new MouseEvent('click', { bubbles: true, cancelable: true });
  document.getElementById('buy')!.dispatchEvent(click);
  return !click.defaultPrevented;
}

describe('createPickerController: a page that removes the host, an extension that goes', () => {
  let cleanUp = () => {};
  afterEach(() => cleanUp());

  it('puts back a host element the page removed, before a start and while picking', async () => {
    const { host, controller, abort, phase } = setUp();
    cleanUp = () => abort.abort();
    host.remove();
    controller.start();
    expect(host.isConnected).toBe(true);
    expect(phase()).toBe('picking');
    host.remove();
    await settle();
    expect(host.isConnected).toBe(true);
    expect(phase()).toBe('picking');
    expect(clickReachesPage()).toBe(false);
    expect(controller.hostLost()).toBe(false);
  });

  it('ends completely, and says so, when the page keeps removing the host', async () => {
    const { host, controller, abort, phase } = setUp();
    cleanUp = () => abort.abort();
    controller.start();
    for (let removal = 0; removal < 4 && phase() !== 'idle'; removal++) {
      host.remove();
      await settle();
    }
    expect(phase()).toBe('idle');
    expect(controller.hostLost()).toBe(true);
    expect(clickReachesPage()).toBe(true);
    // A later start puts it back and works again.
    controller.start();
    expect(host.isConnected).toBe(true);
    expect(controller.hostLost()).toBe(false);
    expect(phase()).toBe('picking');
  });

  it('ends once its extension is gone, and checks nothing while idle', async () => {
    let extensionThere = true;
    const alive = vi.fn(() => extensionThere);
    const { controller, abort, phase } = setUp(alive);
    cleanUp = () => abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(alive).not.toHaveBeenCalled();
    controller.start();
    extensionThere = false;
    await vi.waitFor(() => expect(phase()).toBe('idle'), { timeout: 3_000 });
    expect(clickReachesPage()).toBe(true);
  });
});
