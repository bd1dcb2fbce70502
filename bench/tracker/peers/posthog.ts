import posthog from 'posthog-js';
posthog.init('phc_bench', { api_host: 'https://ph.example' });
