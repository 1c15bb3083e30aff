/**
 * Version 3: compare-and-set on subject state, and outbox claims with a lease.
 *
 * Existing states start at version 1 (0 means "no state" to a writer). A delivery is
 * claimed by one deliverer at a time: `claim_token` names the claim, `claimed_until`
 * ends it unless acknowledged or extended.
 */
export const up = `
ALTER TABLE subject_state ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE deliveries ADD COLUMN claim_token TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_until INTEGER;
CREATE INDEX deliveries_by_claim ON deliveries (claim_token) WHERE claim_token IS NOT NULL;
CREATE INDEX events_by_created ON events (created_at);
`;
