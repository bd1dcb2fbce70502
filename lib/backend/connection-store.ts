import { storage } from 'wxt/utils/storage';
import type { BackendConnection } from './client';

/** The backend the user connected to, plus what the server told us about the portal. */
export interface StoredConnection extends BackendConnection {
  portalId: number;
  portalName: string;
}

/** Kept in extension storage (never the site's localStorage), so only the extension sees the key. */
export const connectionItem = storage.defineItem<StoredConnection | null>('local:connection', { fallback: null });
