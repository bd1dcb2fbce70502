import '@/lib/zod-config';
import { backgroundHandlers } from '@/lib/backend/handlers';
import { listenInBackground } from '@/lib/messaging';

export default defineBackground(() => {
  listenInBackground(backgroundHandlers);
});
