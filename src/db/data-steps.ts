import type { Connection } from 'mysql2/promise';
import { sealPlaintextMembers } from '../crm/customers/index.ts';

/**
 * A migration's data step: code that runs after the migration's SQL, on the migration's own
 * connection, for changes SQL cannot make (sealing values needs the keys). It must skip the rows
 * it already did, because a stopped run is run again (src/db/migrate.ts).
 */
export type DataStep = (conn: Connection, log: (msg: string) => void) => Promise<void>;

/** Migration name → its data step. */
export const DATA_STEPS: Record<string, DataStep> = {
  // Issue 14 §2: phones and emails sealed before the next migration drops the plaintext columns.
  '20261206010100_seal_personal_data': async (conn, log) => {
    await sealPlaintextMembers(conn, log);
  },
};
