import { computePosition, flip, offset, shift } from '@floating-ui/dom';
import { useLayoutEffect, useRef } from 'react';
import type { Rect } from '@/lib/picker/picker-store';

/** The box drawn over the hovered or picked element; never takes pointer events. */
export function Highlight({ rect, label, picked = false }: { rect: Rect; label: string; picked?: boolean }) {
  const tooltip = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const floating = tooltip.current;
    if (!floating) return;
    const reference = {
      getBoundingClientRect: () => DOMRect.fromRect(rect),
    };
    let cancelled = false;
    void computePosition(reference, floating, {
      strategy: 'fixed',
      placement: 'top-start',
      middleware: [offset(4), flip(), shift({ padding: 4 })],
    }).then(({ x, y }) => {
      if (cancelled) return;
      floating.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
    });
    return () => {
      cancelled = true;
    };
  }, [rect]);

  return (
    <>
      <div
        className={picked ? 'ct-highlight ct-picked' : 'ct-highlight'}
        data-testid="picker-highlight"
        style={{ left: rect.x, top: rect.y, width: rect.width, height: rect.height }}
      />
      <div ref={tooltip} className="ct-tooltip" data-testid="picker-tooltip">
        {label}
      </div>
    </>
  );
}
