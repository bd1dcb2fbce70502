import type { MessageErrorData } from '@/lib/messaging';

/** A request's error for the user, with the server's field-level details when there are any. */
export function ErrorMessage({ error }: { error: MessageErrorData | null }) {
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error">
      <p>{error.message}</p>
      {error.fields && error.fields.length > 0 && (
        <ul>
          {error.fields.map((field, index) => (
            <li key={index}>
              {field.in ? <code>{field.in}</code> : null} {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
