import { useLayoutEffect, useRef } from 'react';
import { boxStyle, placeBox, placeLabel } from '@/lib/picker/overlay-drawing';
import type { HoverInfo, HoverStore, Rect } from '@/lib/picker/picker-store';

interface Props {
  rect: Rect;
  label: string;
  picked?: boolean;
  property?: boolean;
}

const highlightClass = ({ picked = false, property = false }: { picked?: boolean; property?: boolean }) =>
  ['ct-highlight', picked && 'ct-picked', property && 'ct-property'].filter(Boolean).join(' ');

/** The box drawn over the picked element; never takes pointer events. */
export function Highlight({ rect, label, picked = false, property = false }: Props) {
  const tooltip = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const floating = tooltip.current;
    if (!floating) return;
    let cancelled = false;
    void placeLabel(floating, rect, () => cancelled);
    return () => {
      cancelled = true;
    };
  }, [rect]);

  const className = highlightClass({ picked, property });
  return (
    <>
      <div
        className={className}
        data-testid={property ? 'property-highlight' : 'picker-highlight'}
        style={boxStyle(rect)}
      />
      <div ref={tooltip} className="ct-tooltip" data-testid={property ? 'property-tooltip' : 'picker-tooltip'}>
        {label}
      </div>
    </>
  );
}

/**
 * The box and label over the element under the pointer while picking. Rendered once; each pointer
 * move is drawn straight into the two nodes from the hover store (no React render per move, the
 * transient-update pattern of the zustand docs), in the task of the move itself — the browser
 * already sends pointer moves once per frame. Hidden while the pointer is over nothing pickable.
 */
export function HoverHighlight({ store, property = false }: { store: HoverStore; property?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const tooltip = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const draw = ({ hover }: { hover: HoverInfo | null }) => {
      const [highlight, label] = [box.current, tooltip.current];
      if (!highlight || !label) return;
      if (!hover) {
        highlight.hidden = label.hidden = true;
        return;
      }
      // Placing the label reads first (the viewport, the label's height), then everything is
      // written: the hover forces no layout of its own (lib/picker/overlay-drawing.ts).
      void placeLabel(label, hover.rect, () => store.getState().hover !== hover);
      if (label.textContent !== hover.label) label.textContent = hover.label;
      placeBox(highlight, hover.rect);
      if (highlight.hidden) highlight.hidden = label.hidden = false;
    };
    draw(store.getState());
    return store.subscribe(draw);
  }, [store]);

  return (
    <div className="ct-layer">
      <div
        ref={box}
        className={highlightClass({ property })}
        data-testid={property ? 'property-highlight' : 'picker-highlight'}
        hidden
      />
      <div ref={tooltip} className="ct-tooltip" data-testid={property ? 'property-tooltip' : 'picker-tooltip'} hidden />
    </div>
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
