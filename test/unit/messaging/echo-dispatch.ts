import { backgroundRequestSchemas, contentRequestSchemas, dispatch, PROTOCOL_VERSION } from '../../../lib/messaging';

/** Handlers that echo their validated payload, so a test sees what passed validation. */
const echo = (payload: unknown) => ({ echoed: payload });
const echoAll = (schemas: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(schemas).map((type) => [type, echo])) as never;

/** A background request through the real `dispatch` (envelope, protocol, schema), answered by echoing handlers. */
export const toBackground = (type: string, payload?: unknown) =>
  dispatch(
    'background',
    backgroundRequestSchemas,
    echoAll(backgroundRequestSchemas),
    { protocol: PROTOCOL_VERSION, target: 'background', type, payload },
    {},
  );

/** A content-script request through the real `dispatch`, answered by echoing handlers. */
export const toContent = (type: string, payload?: unknown) =>
  dispatch(
    'content',
    contentRequestSchemas,
    echoAll(contentRequestSchemas),
    { protocol: PROTOCOL_VERSION, target: 'content', type, payload },
    {},
  );
