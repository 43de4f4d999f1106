export const FEED_SCOPES = ['staff', 'resource', 'location'] as const;
export type FeedScope = (typeof FEED_SCOPES)[number];
