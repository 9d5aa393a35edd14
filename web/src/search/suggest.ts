// Pure helpers of the search combobox: when to ask the geocoder, how the
// suggestions are grouped and announced (tested in test/suggest.test.ts).

/** Whether a query should also be sent to the address geocoder: 3 to 200
 * characters and not only digits (a postcode is a commune search). */
export function wantsAddress(q: string): boolean {
  const t = q.trim();
  const n = [...t].length;
  return n >= 3 && n <= 200 && !/^[\d\s]+$/.test(t);
}

export interface SuggestionGroup {
  /** Accessible name of the group (role="group"). */
  label: string;
  /** Index of its first option in the flat list of options. */
  start: number;
  count: number;
}

/** The groups of the list box: none (a flat list) when there are only
 * communes, else "Communes" then "Adresses", each only when not empty. */
export function suggestionGroups(communes: number, addresses: number): SuggestionGroup[] {
  if (addresses === 0) return [];
  const g: SuggestionGroup[] = [];
  if (communes > 0) g.push({label: 'Communes', start: 0, count: communes});
  g.push({label: 'Adresses', start: communes, count: addresses});
  return g;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

/** What the live region says once suggestions are shown (both nouns are
 * feminine, so one agreement fits). */
export function suggestionStatus(communes: number, addresses: number, withAddresses = true): string {
  if (communes + addresses === 0) return withAddresses ? 'Aucune commune ni adresse trouvée.' : 'Aucune commune trouvée.';
  const parts: string[] = [];
  if (communes) parts.push(count(communes, 'commune', 'communes'));
  if (addresses) parts.push(count(addresses, 'adresse', 'adresses'));
  const n = communes + addresses;
  return `${parts.join(' et ')} proposée${n > 1 ? 's' : ''}. Flèches haut et bas pour parcourir, Entrée pour choisir.`;
}
