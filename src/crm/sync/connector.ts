/**
 * The port every CRM connector implements (the 卫瓴 one: src/integrations/weiling/), so the
 * sync context never speaks a wire format and another CRM can be added beside it. Values are
 * canonical (fields.ts): the connector maps them to the other system's fields, custom fields,
 * tags and activity timeline. Every method throws on failure; a `SyncCallError` says whether a
 * retry may help.
 */

/** Canonical field values of one member (fields.ts), null when empty. */
export type FieldValues = Record<string, string | null>;

/** A contact as the other system holds it. */
export interface RemoteContact {
  remoteId: string;
  fields: FieldValues;
  tags: string[];
  /** When the other system last changed it (its reconciliation cursor orders by this). */
  updatedAt: Date;
}

/** One entry of the other system's activity timeline (an order, a refund, a follow-up …). */
export interface Activity {
  /** Ours, stable: `order:<orderNo>`, `refund:<refundNo>`, `follow_up:<id>`. */
  key: string;
  kind: 'order' | 'refund' | 'follow_up';
  title: string;
  content: string;
  at: Date;
}

/** An inbound callback, parsed and verified by the connector. */
export interface InboundEvent {
  /** The other system's event type, as sent. */
  type: string;
  /** What it means to us. */
  kind: 'contact_upsert' | 'contact_delete' | 'contact_merge' | 'ignored';
  /** The contact it is about (for a merge: the survivor). */
  objectId: string;
  /** A merge: the contacts folded into `objectId`. */
  mergedIds?: string[];
  /** The event's own timestamp (the dedupe key has it; older than the last applied → stale). */
  at: Date;
  /** The envelope as received. */
  raw: string;
}

export interface ChangedPage {
  items: RemoteContact[];
  /** Where the next call starts (after these items; the same cursor when there were none). */
  cursor: string | null;
  /** More changes wait after this page. */
  more: boolean;
}

export interface CrmConnector {
  /** The connection's name in our tables (`weiling`). */
  readonly name: string;
  /** Shown to people (`卫瓴`). */
  readonly label: string;
  /** A contact already there for this member: by our registered id, else by phone; null when none. */
  findContact(key: { thirdId: string; phone: string | null }): Promise<string | null>;
  /** Creates the contact; its id. */
  createContact(fields: FieldValues, tags: string[]): Promise<string>;
  /** Changes these fields only. */
  updateContact(remoteId: string, fields: FieldValues): Promise<void>;
  /** Marks the contact discarded (our member was merged away or erased). */
  discardContact(remoteId: string): Promise<void>;
  /** Registers our id for the contact (the third-party id mapping). */
  registerThirdId(remoteId: string, thirdId: string): Promise<void>;
  updateTags(remoteId: string, add: string[], remove: string[]): Promise<void>;
  addActivity(remoteId: string, activity: Activity): Promise<void>;
  /**
   * An entry with this activity's key is already on the contact. Asked before re-adding one
   * whose earlier attempt failed (its answer may have been lost after it went through).
   */
  hasActivity(remoteId: string, activity: Activity): Promise<boolean>;
  /** The contacts that exist among `remoteIds` (a missing one was deleted). */
  getContacts(remoteIds: string[]): Promise<RemoteContact[]>;
  /** Contacts changed after `cursor` (null: from the start), oldest first. */
  changedSince(cursor: string | null, limit: number): Promise<ChangedPage>;
}

/** A failed call to the other system: `retryable` for 5xx, timeouts, rate limits. */
export class SyncCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SyncCallError';
  }
}
