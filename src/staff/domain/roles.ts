/** Staff roles, as tokens and the API name them. */
export const ROLES = ['admin', 'front_desk', 'nurse', 'provider'] as const;
export type Role = (typeof ROLES)[number];
