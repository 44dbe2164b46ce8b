/** What the seed's `PAN` field holds: a card PAN (expiry present), an email, a mobile number or a referral id. */
export type IdentifierKind = 'card' | 'email' | 'mobile' | 'referral';
