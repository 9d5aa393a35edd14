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
 * communes, else "Communes", "Adresses" then "Lieux", each only when not
 * empty, in the order of the flat list of options. */
export function suggestionGroups(communes: number, addresses: number, places = 0): SuggestionGroup[] {
  if (addresses === 0 && places === 0) return [];
  const g: SuggestionGroup[] = [];
  if (communes > 0) g.push({label: 'Communes', start: 0, count: communes});
  if (addresses > 0) g.push({label: 'Adresses', start: communes, count: addresses});
  if (places > 0) g.push({label: 'Lieux', start: communes + addresses, count: places});
  return g;
}

/** Whether a query is a street address ("12 rue de la Paix", "avenue
 * Foch"): a house number followed by a word, or a street word. */
export function looksLikeStreet(q: string): boolean {
  const t = q.trim();
  if (/^[\d\s]+$/.test(t)) return false;
  if (/^\d{1,4}\s*(bis|ter|[a-z])?[\s,]+\p{L}/iu.test(t)) return true;
  return /(^|\s)(rue|avenue|av|bd|boulevard|chemin|allée|allee|impasse|route|place|quai|cours|square|résidence|residence|lotissement|sentier|voie|faubourg|chaussée|chaussee|passage|hameau|lieu-dit)(\s|$|\.)/iu.test(t);
}

/** What is said when a street address is typed and the server has no
 * address search. */
export const NO_STREET_SEARCH =
  "La recherche par adresse (rue, numéro) n'est pas disponible sur ce service : cherchez une commune, un code postal ou le nom d'un lieu.";

function count(n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`;
}

/** What the live region says once suggestions are shown: communes and
 * addresses are feminine; with places (masculine) the agreement is
 * masculine plural. */
export function suggestionStatus(communes: number, addresses: number, withAddresses = true, places = 0): string {
  if (communes + addresses + places === 0) {
    return withAddresses ? 'Aucune commune ni adresse trouvée.' : 'Aucune commune trouvée.';
  }
  const parts: string[] = [];
  if (communes) parts.push(count(communes, 'commune', 'communes'));
  if (addresses) parts.push(count(addresses, 'adresse', 'adresses'));
  if (places) parts.push(count(places, 'lieu', 'lieux'));
  const n = communes + addresses + places;
  const agree = places ? (n > 1 ? 'proposés' : 'proposé') : n > 1 ? 'proposées' : 'proposée';
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}` : parts[0];
  return `${list} ${agree}. Flèches haut et bas pour parcourir, Entrée pour choisir.`;
}
