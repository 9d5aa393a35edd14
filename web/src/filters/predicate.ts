// Filters the API cannot apply ("ouvert maintenant", "prise de RDV en
// ligne"), applied in the browser to places returned by the API.

import type {PlaceSummary} from '../api.ts';
import {isOpen, parseOpeningHours, type WeekTime} from '../openinghours.ts';
import {ONLINE_BOOKING} from '../taxonomy.ts';
import type {Filters} from '../urlstate.ts';
import {safeHttpUrl} from '../format.ts';

/** Whether a place takes online bookings: a booking link or the access mode. */
export function hasOnlineBooking(p: {prise_rdv?: string | undefined; modalites_acces?: string[] | undefined}): boolean {
  return safeHttpUrl(p.prise_rdv) !== null || (p.modalites_acces ?? []).includes(ONLINE_BOOKING);
}

/** Whether a place is open at t; false when its hours are unknown. */
export function isOpenAt(p: Pick<PlaceSummary, 'horaires'>, t: WeekTime): boolean {
  const week = parseOpeningHours(p.horaires);
  return week !== null && isOpen(week, t);
}

export function matchesClientFilters(p: PlaceSummary, f: Filters, t: WeekTime): boolean {
  if (f.rdv && !hasOnlineBooking(p)) return false;
  if (f.ouvert && !isOpenAt(p, t)) return false;
  return true;
}
