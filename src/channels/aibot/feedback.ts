/**
 * The AI bot's answer feedback (Tencent: feedback_event — the 👍/👎 under an answer whose stream
 * carried stream.feedback.id), stored against that answer: feedback_id is the inbound message
 * id we set as the stream's feedback id. Table aibot_feedback, owned by this channel; one row
 * per callback msgid, so WeCom's retries are stored once.
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Services } from '../../services.ts';
import type { FeedbackData } from './payload.ts';

export async function storeFeedback(services: Pick<Services, 'sql'>, messageId: string, f: FeedbackData): Promise<boolean> {
  const [res] = await services.sql.execute<ResultSetHeader>(
    'INSERT IGNORE INTO aibot_feedback (message_id, feedback_id, userid, type, content, reasons) VALUES (?, ?, ?, ?, ?, ?)',
    [messageId, f.feedbackId, f.userid, f.type, f.content ?? null, f.reasons ? JSON.stringify(f.reasons) : null],
  );
  return res.affectedRows === 1;
}

export interface FeedbackRow {
  messageId: string;
  feedbackId: string;
  userid: string;
  type: number;
  content: string | null;
  reasons: number[] | null;
}

/** The feedback given on one answer (by its inbound message id). */
export async function feedbackOn(services: Pick<Services, 'sql'>, answerMessageId: string): Promise<FeedbackRow[]> {
  const [rows] = await services.sql.execute<RowDataPacket[]>('SELECT message_id, feedback_id, userid, type, content, reasons FROM aibot_feedback WHERE feedback_id = ? ORDER BY id', [answerMessageId]);
  return rows.map((r) => ({ messageId: r.message_id, feedbackId: r.feedback_id, userid: r.userid, type: Number(r.type), content: r.content, reasons: r.reasons ? (typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons) : null }));
}
