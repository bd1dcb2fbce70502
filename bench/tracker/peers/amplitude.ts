import * as amplitude from '@amplitude/analytics-browser';
amplitude.init('bench-key', { serverUrl: 'https://amp.example/2/httpapi' });
