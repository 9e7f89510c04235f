import type { Services } from '../../../services.ts';
import { loadVersion } from './store.ts';

/**
 * Journeys whose trigger is entering or leaving this segment (any status: a paused or draft one
 * may be activated again). Deleting such a segment would empty its list, and the trigger sweep
 * would read that as every member leaving, so the segment's owner must change these first.
 */
export async function journeysOnSegment(services: Services, segmentId: number): Promise<{ id: number; name: string; status: string }[]> {
  const rows = await services.db.journey.findMany({ where: { triggerType: { in: ['segment_entered', 'segment_left'] } }, select: { id: true, name: true, status: true, currentVersion: true }, orderBy: { id: 'asc' } });
  const out: { id: number; name: string; status: string }[] = [];
  for (const j of rows) {
    const { trigger } = (await loadVersion(services, j.id, j.currentVersion)).def;
    if ('segmentId' in trigger && trigger.segmentId === segmentId) out.push({ id: j.id, name: j.name, status: j.status });
  }
  return out;
}
