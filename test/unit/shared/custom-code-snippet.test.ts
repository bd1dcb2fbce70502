import { describe, expect, it } from 'vitest';
import { checkCustomCode } from '../../../lib/shared/custom-code-check';
import { customCodeSnippet } from '../../../lib/shared/custom-code-snippet';

const property = { createdAt: '', updatedAt: '', options: [] };

describe('customCodeSnippet', () => {
  it('calls track with the event name alone when it has no properties', () => {
    expect(customCodeSnippet({ fullyQualifiedName: 'pe1_signed_up', properties: [] })).toBe(
      "clicktrail.track('pe1_signed_up');",
    );
  });

  it('fills in every property with an example of its type, and parses', () => {
    const snippet = customCodeSnippet({
      fullyQualifiedName: 'pe1_signed_up',
      properties: [
        { ...property, name: 'seats', label: 'Seats', type: 'number' },
        { ...property, name: 'trial_ends', label: 'Trial ends', type: 'datetime' },
        { ...property, name: 'note', label: 'Note', type: 'string' },
        {
          ...property,
          name: 'plan',
          label: 'Plan',
          type: 'enumeration',
          options: [
            { label: 'Legacy', value: 'legacy', hidden: true },
            { label: 'Pro', value: 'pro', hidden: false },
            { label: "Team's", value: "team's", hidden: false },
          ],
        },
      ],
    });
    expect(snippet).toBe(
      [
        "clicktrail.track('pe1_signed_up', {",
        '  seats: 0, // Seats (number)',
        '  trial_ends: new Date().toISOString(), // Trial ends (datetime)',
        "  note: '', // Note (string)",
        "  plan: 'pro', // Plan: one of pro, team's (several: separate with ;)",
        '});',
      ].join('\n'),
    );
    expect(checkCustomCode(snippet)).toBeUndefined();
  });

  it('quotes option values with quotes and backslashes so the snippet still parses', () => {
    const snippet = customCodeSnippet({
      fullyQualifiedName: 'pe1_x',
      properties: [
        {
          ...property,
          name: 'size',
          label: 'Size',
          type: 'enumeration',
          options: [{ label: 'Odd', value: "it's a \\ size", hidden: false }],
        },
      ],
    });
    expect(snippet).toContain("size: 'it\\'s a \\\\ size',");
    expect(checkCustomCode(snippet)).toBeUndefined();
  });
});
