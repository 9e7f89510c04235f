-- Data step only (src/db/data-steps.ts → sealPlaintextMembers in src/crm/customers): seals every
-- member's plaintext phone and email, and the phone and email values of the profile history, in
-- batches of 1000 under DATA_KEY_ID. It only touches rows not sealed yet, so a run that was
-- stopped half-way simply continues on the next start.
SELECT 1;
