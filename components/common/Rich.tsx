import { Fragment, type ReactNode } from 'react';

/** A translated sentence with elements in it, from `tParts` (lib/i18n). */
export function Rich({ parts }: { parts: readonly ReactNode[] }) {
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>{part}</Fragment>
      ))}
    </>
  );
}
