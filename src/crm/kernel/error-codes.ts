/**
 * Every error code the application raises on purpose, declared once as data: its HTTP status,
 * whether the caller (or a BullMQ processor) may retry, and what it means. `AppError` and the
 * helpers in errors.ts only accept a code from here, so a new code is a new line in this table,
 * and `docs/errors.md` lists exactly these codes (test/docs-errors.test.ts checks it).
 *
 * `retryable` means "the same request may pass later without being changed" (a busy upstream,
 * a lock held by another process); everything else is permanent and is not retried by jobs.
 */

/** The statuses our errors use (a subset of Hono's ContentfulStatusCode). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 502 | 503 | 504;

/** Where a code comes from, for grouping the documentation. */
export type ErrorArea =
  | 'request'
  | 'access'
  | 'kernel'
  | 'channel'
  | 'wecom'
  | 'miniprogram'
  | 'outbound'
  | 'llm'
  | 'customers'
  | 'sales'
  | 'loyalty'
  | 'engagement'
  | 'contacts'
  | 'service'
  | 'insights'
  | 'automation'
  | 'sync'
  | 'demo';

export interface ErrorSpec {
  area: ErrorArea;
  status: ErrorStatus;
  retryable: boolean;
  /** One line for the documentation: when it happens, what the caller can do. */
  description: string;
  /** A second status the same code is raised with, and where (kept so behaviour does not change). */
  alsoStatus?: { status: ErrorStatus; when: string };
}

export const ERROR_CODES = {
  // ── request: any HTTP endpoint ──────────────────────────────────────────────────────────
  invalid_json: { area: 'request', status: 400, retryable: false, description: 'The request body is not valid JSON.' },
  invalid_request: { area: 'request', status: 400, retryable: false, description: 'A path parameter, query value or console message breaks its schema, or Hono refused the request; `issues` says where when known.' },
  validation_failed: { area: 'request', status: 422, retryable: false, description: 'The JSON body is well-formed but breaks the route’s schema; `issues` says where.' },
  payload_too_large: { area: 'request', status: 413, retryable: false, description: 'The admin API request body is over 1 MB.' },
  unsupported_media_type: { area: 'request', status: 415, retryable: false, description: 'Admin API: a JSON body sent without `content-type: application/json`.' },
  body_too_large: { area: 'request', status: 413, retryable: false, description: 'A channel callback body is over the channel’s size limit.' },
  not_found: { area: 'request', status: 404, retryable: false, description: 'No route for this method and path, or a malformed export download token.' },
  method_not_allowed: { area: 'request', status: 404, retryable: false, description: '`/console/messages` called with a method other than POST.' },
  unauthorized: { area: 'request', status: 401, retryable: false, description: 'Admin API: the bearer token is missing, malformed, unknown or revoked, or its staff member is deactivated; console, sign-in and downloads: no valid session or token (sign in again).' },
  rate_limited: { area: 'request', status: 429, retryable: true, description: 'Chat flood control: the member or staff member sent more actions that alert or write than MEMBER_ACTION_LIMIT / STAFF_ACTION_LIMIT allow in their window; the reply says when to try again (reads still answer).' },
  internal_error: { area: 'request', status: 500, retryable: false, description: 'An unexpected failure; the body carries only the request id, the log has the rest.' },
  response_invalid: { area: 'request', status: 500, retryable: false, description: 'Admin API: a handler’s answer does not match its declared schema (our bug, logged).' },
  invalid_token_name: { area: 'request', status: 400, retryable: false, description: '`npm run crm:token`: the token name must be 1–64 characters.' },
  staff_not_found: { area: 'request', status: 404, retryable: false, description: '`npm run crm:token` or the staff API: no staff member with that WeCom userid or id.' },
  staff_exists: { area: 'request', status: 409, retryable: false, description: 'Staff API: a staff member with this WeCom userid exists (`existingId` in the error).' },
  invalid_staff: { area: 'request', status: 400, retryable: false, description: 'Staff API: a field breaks its rule (userid characters, name length, role, an unknown store); `details.issues` names each.' },
  staff_self_change: { area: 'request', status: 409, retryable: false, description: 'Staff API: an administrator may not deactivate or demote themselves (another administrator must).' },
  last_admin: { area: 'request', status: 409, retryable: false, description: 'Staff API: the change would leave no active administrator.' },
  staff_inactive: { area: 'request', status: 409, retryable: false, description: '`npm run crm:token`: the staff member is deactivated.' },

  // ── access: who may do what ─────────────────────────────────────────────────────────────
  permission_denied: { area: 'access', status: 403, retryable: false, description: 'The caller’s role lacks the permission the operation needs.' },
  store_out_of_scope: { area: 'access', status: 403, retryable: false, description: 'The store (or the member’s store) is outside the caller’s stores.' },
  no_store: { area: 'access', status: 403, retryable: false, description: 'A store role without any store tried to create a segment.' },
  not_your_member: { area: 'access', status: 403, retryable: false, description: 'A member acted for another member (erasure request, service ticket).' },
  login_failed: { area: 'access', status: 401, retryable: false, description: 'Console sign-in refused: a bad API token, a WeCom login code that is invalid, used or expired, or a login state that does not match (start the sign-in again).' },
  login_not_staff: { area: 'access', status: 403, retryable: false, description: 'WeCom web login: the account is not a member of the company, or not an active staff member of the CRM.' },
  export_not_found: { area: 'access', status: 404, retryable: false, description: 'No such export or approval, or it belongs to someone else: a download works only for the person who asked for it.' },
  export_pending_approval: { area: 'access', status: 409, retryable: false, description: 'The export has full phone numbers or more rows than `EXPORT_APPROVAL_ROWS`: it waits for a second approver (`POST /api/crm/exports/{id}/approve`).' },
  export_self_approval: { area: 'access', status: 403, retryable: false, description: 'The person who asked for an export cannot approve it: another staff member with the export permission must.' },
  intent_not_for_audience: { area: 'access', status: 403, retryable: false, description: 'A chat intent for staff asked by a member, or the other way round.' },

  // ── kernel: transactions ──────────────────────────────────────────────────────────────
  personal_data_unreadable: { area: 'kernel', status: 500, retryable: false, description: 'A sealed phone or email did not open: its key id is missing from `DATA_KEYS` (removed before `rotate-keys` finished) or the value was altered or copied from another column.' },
  transaction_lock_conflict: { area: 'kernel', status: 503, retryable: true, description: 'A database transaction lost to concurrent writers on every attempt (deadlock or lock wait); try again later.' },

  // ── channel: inbound callbacks (WeCom, mini-program, console) ───────────────────────────
  turn_handed_over: { area: 'channel', status: 503, retryable: true, description: 'The process stopped while this message was being answered: its inbox claim was handed over, and the next process answers it (once); the stopping one gives up its answer, writes nothing and sends nothing.' },
  chat_degraded: { area: 'channel', status: 503, retryable: true, description: 'Redis (conversation memory, confirmations, queues) is unavailable: chat answers read-only requests and declines what needs a confirmation or a queue; try again shortly.' },
  channel_not_configured: {
    area: 'channel',
    status: 503,
    retryable: false,
    description: 'The channel’s callback is called but the server has no configuration for it.',
    alsoStatus: { status: 500, when: 'a channel adapter or API client is created without its settings (at start-up)' },
  },
  unsigned: { area: 'channel', status: 401, retryable: false, description: 'The callback has no signature (`signature` / `msg_signature`).' },
  missing_params: { area: 'channel', status: 400, retryable: false, description: 'The callback lacks `timestamp`, `nonce` or `echostr`.' },
  bad_signature: { area: 'channel', status: 401, retryable: false, description: 'The callback signature does not match our token.' },
  bad_timestamp: { area: 'channel', status: 400, retryable: false, description: 'The callback timestamp is not unix seconds.' },
  stale_timestamp: { area: 'channel', status: 401, retryable: false, description: 'The callback timestamp is too far from the server clock (replay protection).' },
  bad_ciphertext_encoding: { area: 'channel', status: 400, retryable: false, description: 'The encrypted callback body is not valid base64.' },
  bad_ciphertext: { area: 'channel', status: 400, retryable: false, description: 'The ciphertext is not whole AES blocks, or decrypts to too few bytes.' },
  bad_padding: { area: 'channel', status: 400, retryable: false, description: 'The decrypted callback has invalid PKCS#7 padding (wrong EncodingAESKey?).' },
  bad_length: { area: 'channel', status: 400, retryable: false, description: 'The decrypted message length field exceeds the payload.' },
  bad_text_encoding: { area: 'channel', status: 400, retryable: false, description: 'The decrypted message is not UTF-8.' },
  wrong_receive_id: { area: 'channel', status: 403, retryable: false, description: 'The encrypted message is addressed to another corp or app.' },
  bad_aes_key: { area: 'channel', status: 500, retryable: false, description: 'The configured EncodingAESKey is not 43 base64 characters (fails at start-up).' },
  bad_random: { area: 'channel', status: 500, retryable: false, description: 'Encrypting a reply with a random prefix that is not 16 bytes (our bug).' },
  malformed_xml: { area: 'channel', status: 400, retryable: false, description: 'The callback XML is malformed, has DOCTYPE/ENTITY declarations or no single `<xml>` root.' },
  malformed_json: { area: 'channel', status: 400, retryable: false, description: 'The mini-program JSON callback body is not a JSON object.' },
  empty_body: { area: 'channel', status: 400, retryable: false, description: 'The mini-program callback body is empty.' },
  aes_not_configured: { area: 'channel', status: 400, retryable: false, description: 'An encrypted mini-program callback arrived but `MP_AES_KEY` is not set.' },
  encryption_required: { area: 'channel', status: 401, retryable: false, description: 'The mini-program is in safe mode and the callback is not encrypted.' },
  no_encrypt: { area: 'channel', status: 400, retryable: false, description: 'The WeCom callback body has no `Encrypt` element.' },
  bad_message: { area: 'channel', status: 400, retryable: false, description: 'A callback message without `FromUserName`.' },
  aibot_bad_callback: { area: 'channel', status: 400, retryable: false, description: 'An AI-bot callback whose decrypted JSON is not a message or event of the documented shape (no msgid, no sender).' },
  aibot_quota_exhausted: { area: 'channel', status: 429, retryable: true, description: 'The AI bot has used its replies for this conversation in the last 24 h (or its proactive pushes for the day); the message is not answered until the window ends.' },
  aibot_push_unavailable: { area: 'channel', status: 500, retryable: false, description: 'An AI-bot answer had to be relayed as an app message but `WECOM_SECRET` / `WECOM_AGENT_ID` are not set, or the conversation is a group (app messages go to one person).' },
  duplicate_message: { area: 'channel', status: 409, retryable: false, description: 'Console: this message id was already answered.' },
  handoff_unsigned: { area: 'channel', status: 401, retryable: false, description: 'Edge hand-off (`POST /edge/handoff/:channel`): the `x-edge-timestamp` or `x-edge-signature` header is missing or malformed.' },
  handoff_stale: { area: 'channel', status: 401, retryable: false, description: 'Edge hand-off: the timestamp is more than `EDGE_HANDOFF_MAX_SKEW_S` from the origin’s clock (replay, or a clock to fix).' },
  bad_handoff_signature: { area: 'channel', status: 401, retryable: false, description: 'Edge hand-off: the HMAC does not match `EDGE_HANDOFF_SECRET` (a forged request, or the edge and the origin hold different secrets).' },
  bad_handoff: { area: 'channel', status: 400, retryable: false, description: 'Edge hand-off: the signed body is not the hand-off JSON, or names another channel than its path.' },
  origin_unavailable: { area: 'channel', status: 503, retryable: true, description: 'The Workers edge could not hand a callback to the origin in time (down, slow, or refusing it): the platform retries the callback.' },

  // ── wecom: the WeCom server API (qyapi) ─────────────────────────────────────────────────
  wecom_token_invalid: { area: 'wecom', status: 502, retryable: true, description: 'WeCom rejected the access token (40001/40014/42001); it is dropped and fetched again on the retry.' },
  wecom_token_refresh_timeout: { area: 'wecom', status: 503, retryable: true, description: 'Timed out waiting for another process to refresh the WeCom access token.' },
  wecom_ip_not_trusted: { area: 'wecom', status: 502, retryable: false, description: 'WeCom 60020: the server’s IP is not in the app’s trusted IP list.' },
  wecom_rate_limited: { area: 'wecom', status: 503, retryable: true, description: 'WeCom 45009: API call frequency limit.' },
  wecom_busy: { area: 'wecom', status: 503, retryable: true, description: 'WeCom -1 (system busy) or 45033 (concurrency limit).' },
  wecom_unreachable: { area: 'wecom', status: 503, retryable: true, description: 'WeCom did not answer: network error, timeout, HTTP 429/5xx or a body that is not JSON.' },
  wecom_http_error: { area: 'wecom', status: 502, retryable: false, description: 'WeCom (or a proxy) answered another HTTP 4xx.' },
  wecom_api_error: { area: 'wecom', status: 502, retryable: false, description: 'WeCom answered a permanent errcode (invalid secret, invalid parameter…).' },
  wecom_invalid_user: { area: 'wecom', status: 502, retryable: false, description: 'message/send: the recipient is listed as invalid (not in the app’s visible range).' },
  wecom_empty_media: { area: 'wecom', status: 400, retryable: false, description: 'media/upload called with an empty image.' },
  wecom_empty_text: { area: 'wecom', status: 400, retryable: false, description: 'message/send called with empty text.' },
  wecom_push_not_configured: { area: 'wecom', status: 500, retryable: false, description: 'A push was asked for but `WECOM_SECRET` / `WECOM_AGENT_ID` are not set.' },

  // ── miniprogram: the WeChat mini-program server API ─────────────────────────────────────
  mp_token_invalid: {
    area: 'miniprogram',
    status: 502,
    retryable: true,
    description: 'WeChat rejected the access token (40001/40014/42001); it is dropped and fetched again on the retry.',
    alsoStatus: { status: 503, when: 'a chat reply pushed by customer-service message failed on it' },
  },
  mp_token_refresh_timeout: { area: 'miniprogram', status: 503, retryable: true, description: 'Timed out waiting for another process to refresh the mini-program access token.' },
  mp_rate_limited: { area: 'miniprogram', status: 503, retryable: true, description: 'WeChat 45009/45011: call quota or frequency limit.' },
  mp_busy: { area: 'miniprogram', status: 503, retryable: true, description: 'WeChat -1: system busy.' },
  mp_unreachable_api: { area: 'miniprogram', status: 503, retryable: true, description: 'WeChat did not answer: network error, timeout, HTTP 429/5xx or a body that is not JSON.' },
  mp_http_error: { area: 'miniprogram', status: 502, retryable: false, description: 'WeChat (or a proxy) answered another HTTP 4xx.' },
  mp_api_error: { area: 'miniprogram', status: 502, retryable: false, description: 'WeChat answered a permanent errcode (invalid appid/secret, user refused…).' },
  mp_unreachable: { area: 'miniprogram', status: 409, retryable: false, description: 'The member cannot get a customer-service message now (outside the 48-hour window or over its 5 messages).' },
  mp_empty_text: { area: 'miniprogram', status: 502, retryable: false, description: 'A customer-service message with empty text.' },
  mp_push_not_configured: { area: 'miniprogram', status: 500, retryable: false, description: 'A push was asked for but `MP_APP_SECRET` is not set.' },
  kf_unreachable: { area: 'wecom', status: 409, retryable: false, description: '微信客服: the customer cannot get a message now (outside the 48 hours after their last message, over its 5 messages, or the session is with a person); recorded, not sent.' },
  kf_sync_busy: { area: 'wecom', status: 503, retryable: true, description: '微信客服: another process is reading the same kf account with sync_msg; the callback is retried.' },

  // ── outbound: the senders of journeys and alerts (a send result's code) ──────────────────
  sms_unreachable: { area: 'outbound', status: 503, retryable: true, description: 'The SMS gateway did not answer (network error, timeout) or answered HTTP 408/429/5xx.' },
  sms_http_error: { area: 'outbound', status: 502, retryable: false, description: 'The SMS gateway refused the message with another HTTP 4xx.' },
  email_unreachable: { area: 'outbound', status: 503, retryable: true, description: 'The e-mail gateway did not answer (network error, timeout) or answered HTTP 408/429/5xx.' },
  email_http_error: { area: 'outbound', status: 502, retryable: false, description: 'The e-mail gateway refused the message with another HTTP 4xx.' },
  robot_unreachable: { area: 'outbound', status: 503, retryable: true, description: 'The WeCom group robot webhook did not answer: network error, timeout, HTTP 429/5xx or a body that is not JSON.' },
  robot_http_error: { area: 'outbound', status: 502, retryable: false, description: 'The WeCom group robot webhook (or a proxy) answered another HTTP 4xx.' },
  robot_rate_limited: { area: 'outbound', status: 503, retryable: true, description: 'The group robot is busy (-1) or over its 20 messages a minute (45009, 130101).' },
  robot_api_error: { area: 'outbound', status: 502, retryable: false, description: 'The group robot refused the message (93000: invalid webhook key …).' },
  mp_no_template: { area: 'outbound', status: 400, retryable: false, description: 'A mini-program subscribe message step without a template.' },
  mp_invalid_data: { area: 'outbound', status: 400, retryable: false, description: 'The subscribe message data does not fit the template’s fields.' },

  // ── llm ─────────────────────────────────────────────────────────────────────────────────
  llm_timeout: { area: 'llm', status: 504, retryable: true, description: 'The LLM did not answer within its time budget (the router falls back to rules).' },

  // ── customers: members, profile, merge, erasure, export, import ──────────────────────────
  member_not_found: { area: 'customers', status: 404, retryable: false, description: 'No such member, or not in a store the caller can see.' },
  member_gone: { area: 'customers', status: 409, retryable: false, description: 'The member was erased or merged meanwhile.' },
  phone_taken: { area: 'customers', status: 409, retryable: false, description: 'The phone number belongs to another member (merge the duplicates instead).' },
  invalid_profile: { area: 'customers', status: 400, retryable: false, description: 'A profile update breaks its schema.' },
  invalid_phone: { area: 'customers', status: 400, retryable: false, description: 'Not a valid mainland mobile number.' },
  same_member: { area: 'customers', status: 400, retryable: false, description: 'A member cannot be merged into itself.' },
  phone_partial_search: { area: 'customers', status: 400, retryable: false, description: 'Phones are stored encrypted: search by the whole 11-digit number, by the last four digits (`尾号1234` or `*1234`), a member number or a name — not by another part of a number.' },
  invalid_fields: { area: 'customers', status: 400, retryable: false, description: 'A member export asked for a field that cannot be exported.' },
  phone_view_not_allowed: { area: 'customers', status: 400, retryable: false, description: 'An export with full phone numbers by a role that cannot see them.' },
  import_format: { area: 'customers', status: 400, retryable: false, description: 'Import: the file is neither .csv (UTF-8) nor .xlsx.' },
  import_empty: { area: 'customers', status: 400, retryable: false, description: 'Import: the file has no header row.' },
  import_column_missing: { area: 'customers', status: 400, retryable: false, description: 'Import: a column named in `--map` is not in the header.' },
  import_no_phone_column: { area: 'customers', status: 400, retryable: false, description: 'Import: no phone column was found; name it with `--map phone=<header>`.' },
  invalid_map: { area: 'customers', status: 400, retryable: false, description: 'Import: a `--map` entry is not `field=header` or names an unknown field.' },
  csv_unterminated_quote: { area: 'customers', status: 400, retryable: false, description: 'Import: the CSV has an unclosed quote.' },
  import_busy: { area: 'customers', status: 409, retryable: true, description: 'Import: another import held the member-number lock for over 60 seconds.' },
  member_no_sequence: { area: 'customers', status: 409, retryable: false, description: 'Import: the largest member number is not M+8 digits, or the numbers are used up.' },
  unknown_staff: { area: 'customers', status: 404, retryable: false, description: 'Import: no active staff member with the userid given by `--as`.' },
  unknown_store: { area: 'customers', status: 404, retryable: false, description: 'No store with that code or name (import), or that id (service settings: business hours).' },
  invalid_email: { area: 'customers', status: 400, retryable: false, description: 'Not a valid e-mail address (`issues` names the field).' },
  invalid_member: { area: 'customers', status: 400, retryable: false, description: 'A new member or a profile change breaks a rule of the data (unknown home store, bad birthday …); `issues` names the field.' },
  customer_no_taken: { area: 'customers', status: 409, retryable: false, description: 'The customer number belongs to another member; the body names its id.' },

  // ── sales ───────────────────────────────────────────────────────────────────────────────
  order_lock_conflict: { area: 'sales', status: 503, retryable: true, description: 'Writing an order hit lock conflicts on every attempt; try again later.' },
  invalid_order: { area: 'sales', status: 400, retryable: false, description: 'An order or refund breaks a rule of the data (unknown store, paidAt in the future …); `issues` names the field.' },
  order_conflict: { area: 'sales', status: 409, retryable: false, description: 'The order number (or refund number) was already recorded with a different body; the same body again is a replay.' },
  order_not_found: { area: 'sales', status: 404, retryable: false, description: 'No order with that number, or not of a member the caller can see.' },
  refund_exceeds_order: { area: 'sales', status: 409, retryable: false, description: 'The refund is more than what is left of the order after earlier refunds.' },

  // ── loyalty: levels, points, KOC ────────────────────────────────────────────────────────
  invalid_source: { area: 'loyalty', status: 400, retryable: false, description: 'Membership source must be purchase, gift or system.' },
  unknown_level: { area: 'loyalty', status: 400, retryable: false, description: 'No membership level with that number.' },
  invalid_level: { area: 'loyalty', status: 400, retryable: false, description: 'A level definition breaks its schema.' },
  level_name_taken: { area: 'loyalty', status: 400, retryable: false, description: 'Another level already has that name.' },
  reason_required: { area: 'loyalty', status: 400, retryable: false, description: 'A manual level change or points adjustment needs a reason.' },
  invalid_points: { area: 'loyalty', status: 400, retryable: false, description: 'A points change must be a non-zero integer, at most 1,000,000 when adjusted by hand.' },
  idempotency_key_reused: { area: 'loyalty', status: 400, retryable: false, description: 'The idempotency key was already used for another points change.' },
  insufficient_points: { area: 'loyalty', status: 409, retryable: false, description: 'The member has fewer points than the deduction.' },
  already_koc: { area: 'loyalty', status: 409, retryable: false, description: 'The member is already a KOC.' },
  unknown_referral_code: { area: 'loyalty', status: 404, retryable: false, description: 'No KOC with that referral code.' },
  invalid_amount: { area: 'loyalty', status: 400, retryable: false, description: 'A commission must be an amount such as 12.50.' },

  // ── engagement: tags and tag rules ──────────────────────────────────────────────────────
  invalid_tag: { area: 'engagement', status: 400, retryable: false, description: 'A tag name must be 1–32 characters.' },
  invalid_category: { area: 'engagement', status: 400, retryable: false, description: 'Unknown tag category.' },
  tag_exists: { area: 'engagement', status: 409, retryable: false, description: 'A tag with that name exists.' },
  tag_not_found: { area: 'engagement', status: 404, retryable: false, description: 'No such tag.' },
  same_tag: { area: 'engagement', status: 400, retryable: false, description: 'A tag cannot be merged into itself.' },
  invalid_member_ids: { area: 'engagement', status: 400, retryable: false, description: 'A batch tag operation needs 1–10,000 member ids.' },
  invalid_tag_rule: { area: 'engagement', status: 400, retryable: false, description: 'A tag rule breaks its schema.' },
  invalid_event: { area: 'engagement', status: 400, retryable: false, description: 'A behaviour event breaks a rule of the data (occurredAt in the future …); `issues` names the field.' },
  event_conflict: { area: 'engagement', status: 409, retryable: false, description: 'The eventId was already recorded with a different body; the same body again is a replay.' },
  tag_rule_not_found: { area: 'engagement', status: 404, retryable: false, description: 'No such tag rule.' },
  tag_rule_exists: { area: 'engagement', status: 409, retryable: false, description: 'The tag already has a rule (one rule per tag): change that one.' },

  // ── contacts: WeCom customer contacts (客户联系), corp tags, transfers ─────────────────────
  contacts_not_configured: { area: 'contacts', status: 503, retryable: false, description: 'WeCom customer contacts need WECOM_CORP_ID, WECOM_SECRET and WECOM_AGENT_ID (the app must be among 客户联系 › 可调用接口的应用).' },
  wecom_tag_limit: { area: 'contacts', status: 409, retryable: false, description: 'WeCom allows at most 10,000 corp and rule-group tags per company, and 3,000 tags per staff member on one customer; the change would exceed it.' },
  wecom_tag_not_owned: { area: 'contacts', status: 409, retryable: false, description: 'The WeCom corp tag was created outside this app: WeCom lets an app edit or delete only the tags it created.' },
  wecom_tag_not_found: { area: 'contacts', status: 404, retryable: false, description: 'No WeCom corp tag with that id (or it was deleted).' },
  contacts_staff_not_found: { area: 'contacts', status: 404, retryable: false, description: 'No staff member by that name or WeCom userid (a contact way, a transfer).' },
  contacts_staff_ambiguous: { area: 'contacts', status: 409, retryable: false, description: 'A short form of a staff name (小刘) that is part of several staff names: the full name is asked for (a transfer).' },
  contacts_store_not_found: { area: 'contacts', status: 404, retryable: false, description: 'No store with that id or code within the caller’s store scope (a contact way).' },
  transfer_invalid: { area: 'contacts', status: 409, retryable: false, description: 'A customer transfer needs two different staff members, the takeover member active, and the handover member in the caller’s stores.' },
  // ── service: interactions and tickets ───────────────────────────────────────────────────
  interaction_not_found: { area: 'service', status: 404, retryable: false, description: 'No such interaction.' },
  invalid_interaction: { area: 'service', status: 400, retryable: false, description: 'An interaction breaks its schema.' },
  ticket_not_found: { area: 'service', status: 404, retryable: false, description: 'No such ticket, or not in a store the caller can see.' },
  invalid_ticket: { area: 'service', status: 400, retryable: false, description: 'A ticket breaks its schema.' },
  invalid_assignee: { area: 'service', status: 400, retryable: false, description: 'The assignee does not exist or is deactivated.' },
  invalid_satisfaction: { area: 'service', status: 400, retryable: false, description: 'Satisfaction must be an integer from 1 to 5.' },
  invalid_transition: { area: 'service', status: 409, retryable: false, description: 'The ticket cannot move from its status to that one (pending → in progress → resolved → closed).' },
  ticket_closed: { area: 'service', status: 409, retryable: false, description: 'The ticket is closed and cannot be reassigned.' },
  ticket_changed: { area: 'service', status: 409, retryable: false, description: 'Someone else updated the ticket meanwhile; look again and retry.' },
  ticket_not_resolved: { area: 'service', status: 409, retryable: false, description: 'A ticket can be rated only once resolved.' },
  ticket_not_open: { area: 'service', status: 409, retryable: false, description: 'A resolved or closed ticket cannot be escalated.' },
  max_escalation: { area: 'service', status: 403, retryable: false, description: 'The ticket is already at the highest escalation level.' },
  invalid_sla_policy: { area: 'service', status: 400, retryable: false, description: 'A ticket SLA policy breaks its schema (minutes, resolution before response); `issues` names the field.' },
  invalid_business_hours: { area: 'service', status: 400, retryable: false, description: 'Business hours break their schema (HH:mm, a shift ending before it starts, overlapping shifts, no open day); `issues` names the field.' },
  invalid_assignment_config: { area: 'service', status: 400, retryable: false, description: 'The ticket auto-assignment settings break their schema or name staff who are unknown or deactivated; `issues` names the field.' },

  // ── insights: segments and their exports ────────────────────────────────────────────────
  invalid_segment: { area: 'insights', status: 400, retryable: false, description: 'A segment condition tree is invalid (the message says where).' },
  invalid_period: { area: 'insights', status: 400, retryable: false, description: 'A dashboard or analysis period is not a real date range: from after to, longer than allowed (dashboard 366 days, RFM analysis 1,096), not begun yet, or a named period with a range (`issues` names the field).' },
  invalid_segment_name: { area: 'insights', status: 400, retryable: false, description: 'A segment name must be 1–64 characters.' },
  model_data_too_few: { area: 'insights', status: 409, retryable: false, description: 'The model report needs at least 50 members who bought before its holdout period (the last 13 weeks).' },
  invalid_rfm_settings: { area: 'insights', status: 400, retryable: false, description: 'RFM settings break a rule (grades 3–10, grades − 1 ascending cut points, weights ≥ 0 and not all 0); `issues` names the field.' },
  invalid_churn_settings: { area: 'insights', status: 400, retryable: false, description: 'Churn thresholds break a rule (levels 0 < medium < high ≤ 1, silence days low < medium < high); `issues` names the field.' },
  segment_exists: { area: 'insights', status: 409, retryable: false, description: 'A segment with that name exists.' },
  segment_not_found: { area: 'insights', status: 404, retryable: false, description: 'No such segment, or not visible to the caller.' },
  segment_not_owner: { area: 'insights', status: 403, retryable: false, description: 'Only the segment’s creator or HQ can change it.' },
  segment_in_use: { area: 'insights', status: 409, retryable: false, description: 'A journey is triggered by the segment (entering or leaving it): change or delete the journey first.' },
  segment_static: { area: 'insights', status: 400, retryable: false, description: 'A static segment is a frozen list: its conditions cannot change and it is not recomputed.' },
  export_expired: { area: 'insights', status: 410, retryable: false, description: 'The export download link has expired or its file was purged; export again.' },
  scoring_busy: { area: 'insights', status: 409, retryable: true, description: 'Another scoring run is writing member_scores on this database; the run is retried when it ends (runs are serialised by a named lock).' },
  scores_load_failed: { area: 'insights', status: 500, retryable: false, description: 'A scoring run\'s rows did not load exactly (a value the table refused); the previous scores stay in place.' },

  // ── automation: journeys and recalls ────────────────────────────────────────────────────
  invalid_journey: { area: 'automation', status: 400, retryable: false, description: 'A journey definition is invalid (the message says where).' },
  journey_not_found: { area: 'automation', status: 404, retryable: false, description: 'No such journey (or version).' },
  journey_active: { area: 'automation', status: 409, retryable: false, description: 'A running journey cannot be deleted; pause it first.' },
  empty_audience: { area: 'automation', status: 400, retryable: false, description: 'The recall list is empty.' },
  recall_not_found: { area: 'automation', status: 400, retryable: false, description: 'No such recall.' },
  recall_unknown: { area: 'automation', status: 404, retryable: false, description: 'No such recall, or not one of the caller’s stores.' },
  recall_finished: { area: 'automation', status: 409, retryable: false, description: 'The recall has already finished (every member accounted for); there is nothing left to stop.' },
  recall_stop_denied: { area: 'automation', status: 403, retryable: false, description: 'Only the staff member who launched a recall, or someone holding recall.manage whose stores cover it (HQ roles: any recall; a store manager: their stores\' recalls), may stop it.' },
  recall_all_excluded: { area: 'automation', status: 409, retryable: false, description: 'Every member of the recall audience was left out (in a running recall, recalled recently, opted out); nothing was launched.' },
  recall_busy: { area: 'automation', status: 503, retryable: true, description: 'Another recall launch or stop held the recall lock for too long; try again.' },

  // ── sync: two-way CRM sync (docs/sync.md) ───────────────────────────────────────────────
  sync_failure_not_found: { area: 'sync', status: 404, retryable: false, description: 'Sync monitor: no open sync failure with this id (it was resolved meanwhile, or never existed).' },
  sync_not_configured: { area: 'sync', status: 503, retryable: false, description: 'The 卫瓴 sync is not configured on this server (set WEILING_API_BASE, WEILING_APP_ID and WEILING_APP_SECRET); its callback and monitor answer this.' },
  sync_callback_rejected: { area: 'sync', status: 401, retryable: false, description: 'A 卫瓴 callback failed verification (wrong `token` in the URL, or `to_app` not our app id); nothing was stored.' },
  sync_callback_invalid: { area: 'sync', status: 400, retryable: false, description: 'A 卫瓴 callback body is not the documented envelope (`header.event_type`, `header.time_stamp`, `event`), or is encrypted (`encrypt_msg`), which this server does not decrypt.' },

  // ── demo: the demo-data generator ───────────────────────────────────────────────────────
  seed_locked: { area: 'demo', status: 409, retryable: true, description: 'Another process is loading demo data into this database.' },
  seed_not_empty: { area: 'demo', status: 409, retryable: false, description: 'The database already has data; `--reset` deletes it first.' },
  seed_bad_options: { area: 'demo', status: 400, retryable: false, description: 'The demo generator options are invalid.' },
} as const satisfies Record<string, ErrorSpec>;

/** A registered error code: `AppError` accepts nothing else. */
export type ErrorCode = keyof typeof ERROR_CODES;

type Registry = typeof ERROR_CODES;

/** The statuses code `C` may be raised with: its own, and its `alsoStatus` if it has one. */
export type StatusOf<C extends ErrorCode> = Registry[C]['status'] | (Registry[C] extends { alsoStatus: { status: infer S } } ? S : never);

/** The codes whose registered status is `S` (what `badRequest`, `notFound` … accept). */
export type CodeWithStatus<S extends ErrorStatus> = { [C in ErrorCode]: Registry[C]['status'] extends S ? C : never }[ErrorCode];
