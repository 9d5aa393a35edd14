// The one filter the API cannot apply ("prise de RDV en ligne"), applied in
// the browser to places returned by the API. "Ouvert maintenant" is the
// server's (ouvert=maintenant, see siteParams).

import type {PlaceSummary} from '../api.ts';
import {ONLINE_BOOKING} from '../taxonomy.ts';
import type {Filters} from '../urlstate.ts';
import {safeHttpUrl} from '../format.ts';

/** Whether a place takes online bookings: a booking link or the access mode. */
export function hasOnlineBooking(p: {prise_rdv?: string | undefined; modalites_acces?: string[] | undefined}): boolean {
  return safeHttpUrl(p.prise_rdv) !== null || (p.modalites_acces ?? []).includes(ONLINE_BOOKING);
}

export function matchesClientFilters(p: PlaceSummary, f: Filters): boolean {
  return !f.rdv || hasOnlineBooking(p);
}
