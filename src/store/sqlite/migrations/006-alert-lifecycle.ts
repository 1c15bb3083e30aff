/**
 * Version 6: a subject's alert memory (the alert lifecycle: when its firing began, when its
 * last event was sent, the firing's severity), as JSON; null for a subject not firing.
 */
export const up = `
ALTER TABLE subject_state ADD COLUMN alert TEXT;
`;
