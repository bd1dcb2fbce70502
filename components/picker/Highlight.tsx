import { computePosition, flip, offset, shift } from '@floating-ui/dom';
import { useLayoutEffect, useRef } from 'react';
import type { Rect } from '@/lib/picker/picker-store';

interface Props {
  rect: Rect;
  label: string;
  picked?: boolean;
  property?: boolean;
}

/** The box drawn over the hovered or picked element; never takes pointer events. */
export function Highlight({ rect, label, picked = false, property = false }: Props) {
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

  const className = ['ct-highlight', picked && 'ct-picked', property && 'ct-property'].filter(Boolean).join(' ');
  return (
    <>
      <div
        className={className}
        data-testid={property ? 'property-highlight' : 'picker-highlight'}
        style={{ left: rect.x, top: rect.y, width: rect.width, height: rect.height }}
      />
      <div ref={tooltip} className="ct-tooltip" data-testid={property ? 'property-tooltip' : 'picker-tooltip'}>
        {label}
      </div>
    </>
  );
}

/** Every element the trigger matches, numbered; the ones a condition excludes are drawn dashed. */
export function MatchHighlights({ rects }: { rects: readonly { rect: Rect; passing: boolean }[] }) {
  if (rects.length < 2) return null;
  return (
    <>
      {rects.map(({ rect, passing }, index) => (
        <div
          key={index}
          className={passing ? 'ct-match' : 'ct-match ct-excluded'}
          data-testid="picker-match"
          data-passing={passing}
          style={{ left: rect.x, top: rect.y, width: rect.width, height: rect.height }}
        >
          <span className="ct-match-index">{index + 1}</span>
        </div>
      ))}
    </>
  );
}
