import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { checkCustomCode } from '@/lib/shared/custom-code-check';
import { tokenHighlightStyle } from './highlight-style';

/** The server's own parse check as the editor's linter: the error shows where it is, as you type. */
const parseErrors = linter(
  (view): Diagnostic[] => {
    const problem = checkCustomCode(view.state.doc.toString());
    if (!problem) return [];
    const line = view.state.doc.line(Math.min(problem.line, view.state.doc.lines));
    const from = Math.min(line.from + problem.column - 1, line.to);
    return [{ from, to: Math.min(from + 1, view.state.doc.length), severity: 'error', message: problem.message }];
  },
  { delay: 250 },
);

/**
 * A JavaScript editor (CodeMirror 6): highlighting, line numbers, undo history, and parse errors
 * inline. Tab is left to the browser so keyboard users can leave the editor.
 */
export function CodeEditor({
  value,
  onChange,
  label,
  describedBy,
}: {
  value: string;
  onChange: (code: string) => void;
  label: string;
  describedBy?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          syntaxHighlighting(tokenHighlightStyle),
          javascript(),
          parseErrors,
          lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          EditorView.contentAttributes.of({
            'aria-label': label,
            ...(describedBy ? { 'aria-describedby': describedBy } : {}),
            'data-testid': 'code-editor-content',
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) changed.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor owns its text once created; outside changes come in through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once per mount
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="code-editor" data-testid="code-editor" />;
}
