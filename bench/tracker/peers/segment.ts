import { AnalyticsBrowser } from '@segment/analytics-next';
AnalyticsBrowser.load({ writeKey: 'bench-key', cdnURL: 'https://seg.example' });
