import mixpanel from 'mixpanel-browser';
mixpanel.init('bench-token', { api_host: 'https://mp.example' });
