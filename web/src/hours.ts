// Opening hours as the API computes them (`horaires_calcules`, by the Go
// engine: Europe/Paris, French public holidays). The browser only formats
// them; it never reads the `horaires` syntax itself.

import type {ComputedHours, ComputedDay} from './api.ts';

export const DAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/** "09:00 – 12:00, 14:00 – 17:00", "Ouvert 24 h sur 24" or "Fermé". */
export function describeDay(day: ComputedDay | undefined): string {
  const plages = day?.plages ?? [];
  if (plages.length === 0) return 'Fermé';
  if (plages.length === 1 && plages[0] === '00:00-24:00') return 'Ouvert 24 h sur 24';
  return plages.map((p) => p.replace('-', ' – ')).join(', ');
}

/** The comments of the week's rules ("sur rendez-vous"), each once. */
export function weekComments(h: ComputedHours): string[] {
  return [...new Set(h.semaine.flatMap((d) => d.commentaires ?? []))];
}

/** Hours the API could read, or null (none, or text it cannot read). */
export function readable(h: ComputedHours | undefined): ComputedHours | null {
  return h && h.valide && h.semaine.length === 7 ? h : null;
}

/** Whether the computed state is out of date at `now`: its next change has
 * come, so the place must be asked again. */
export function isStale(h: ComputedHours | undefined, now: Date): boolean {
  if (!h?.prochain_changement) return false;
  return Date.parse(h.prochain_changement) <= now.getTime();
}

/** Today's index in DAY_NAMES (Monday 0) in France, whatever the browser's
 * time zone. */
export function parisDay(date: Date): number {
  const w = new Intl.DateTimeFormat('en-GB', {timeZone: 'Europe/Paris', weekday: 'short'}).format(date);
  return Math.max(0, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(w));
}
