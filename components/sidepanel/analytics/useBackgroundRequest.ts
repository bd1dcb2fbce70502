import { useEffect, useState } from 'react';
import {
  errorDataOf,
  sendToBackground,
  type BackgroundRequest,
  type BackgroundRequestType,
  type BackgroundResponses,
  type MessageErrorData,
} from '@/lib/messaging';

export interface RequestState<T> {
  data: T | null;
  error: MessageErrorData | null;
  loading: boolean;
}

/**
 * Sends `payload` to the background whenever it changes (compared by value) and keeps the answer;
 * null sends nothing. An answer that arrives after a newer request was sent is dropped.
 */
export function useBackgroundRequest<T extends BackgroundRequestType>(
  type: T,
  payload: BackgroundRequest<T> | null,
): RequestState<BackgroundResponses[T]> {
  const key = payload === null ? null : JSON.stringify(payload);
  // The answer with the request it answers: while they differ, the newer request is loading and
  // the previous answer stays shown.
  const [answer, setAnswer] = useState<{
    key: string | null;
    data: BackgroundResponses[T] | null;
    error: MessageErrorData | null;
  }>({ key: null, data: null, error: null });
  useEffect(() => {
    if (key === null) return;
    let current = true;
    const send = sendToBackground as (type: T, payload: unknown) => Promise<BackgroundResponses[T]>;
    send(type, JSON.parse(key) as unknown).then(
      (data) => current && setAnswer({ key, data, error: null }),
      (error: unknown) => current && setAnswer({ key, data: null, error: errorDataOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [type, key]);
  if (key === null) return { data: null, error: null, loading: false };
  return { data: answer.data, error: answer.key === key ? answer.error : null, loading: answer.key !== key };
}
