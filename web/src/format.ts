// Formatting of numbers, distances, dates and contacts for French readers.

const NBSP = '\u00a0';

/** "850 m", "3,4 km", "12 km". */
export function formatDistance(metres: number): string {
  if (!Number.isFinite(metres) || metres < 0) return '';
  if (metres < 995) {
    const m = Math.max(10, Math.round(metres / 10) * 10);
    return `${m}${NBSP}m`;
  }
  const km = metres / 1000;
  if (km < 9.95) return `${km.toFixed(1).replace('.', ',')}${NBSP}km`;
  return `${Math.round(km)}${NBSP}km`;
}

/** "1 234" with a narrow no-break space as thousands separator. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat('fr-FR').format(n);
}

/** "1 lieu", "3 lieux". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n > 1 ? many : one}`;
}

/** ISO date (YYYY-MM-DD) → "26 juillet 2022"; other input unchanged. */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat('fr-FR', {day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC'}).format(d);
}

/** "+33322447504" → "03 22 44 75 04"; other numbers unchanged. */
export function formatPhone(tel: string): string {
  const m = /^\+33(\d{9})$/.exec(tel.replace(/\s/g, ''));
  if (!m) return tel;
  const digits = '0' + m[1];
  return digits.replace(/(\d{2})(?=\d)/g, `$1${NBSP}`);
}

/** The URL when it is an absolute http(s) URL, otherwise null. */
export function safeHttpUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.href;
  } catch {
    return null;
  }
}

/** A plausible e-mail address (for mailto: links), otherwise null. */
export function safeEmail(raw: string | undefined | null): string | null {
  const s = (raw ?? '').trim();
  return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(s) ? s : null;
}

/** A tel: URI for a phone number, or null. */
export function telHref(raw: string | undefined | null): string | null {
  const s = (raw ?? '').replace(/[\s.]/g, '');
  return /^\+?\d{4,15}$/.test(s) ? `tel:${s}` : null;
}

/** Great-circle distance in metres. */
export function haversine(a: [number, number], b: [number, number]): number {
  const R = 6371008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Free-text hours from a source, made readable as plain text. */
export function plainText(raw: string): string {
  return raw
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(li|p|div)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

const decimalFormats = new Map<number, Intl.NumberFormat>();

/** A number with a fixed count of decimals, French style: "6,7", "1 234,5".
 * Never "-0". */
export function formatDecimal(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  let f = decimalFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('fr-FR', {minimumFractionDigits: digits, maximumFractionDigits: digits});
    decimalFormats.set(digits, f);
  }
  const p = 10 ** digits;
  const r = Math.round(x * p) / p;
  return f.format(r === 0 ? 0 : r);
}

/** A whole number of people or places: "265 503". */
export function formatInt(x: number): string {
  return formatDecimal(x, 0);
}

/** A share (0–1) as a percentage: "4,4 %". */
export function formatPercent(share: number, digits = 1): string {
  return `${formatDecimal(share * 100, digits)}${NBSP}%`;
}

/** Minutes: "6,7 min". */
export function formatMinutes(m: number, digits = 1): string {
  return `${formatDecimal(m, digits)}${NBSP}min`;
}

/** A change, with its sign ("+1", "−6 187", "0"); the minus is U+2212. */
export function formatSigned(x: number, digits = 0): string {
  const s = formatDecimal(x, digits);
  if (/^0(,0*)?$/.test(s)) return s;
  return x > 0 ? `+${s}` : `\u2212${s.replace(/^-/, '')}`;
}

/** A French ordinal: "1er", "2e", "12e". */
export function ordinal(n: number): string {
  return n === 1 ? '1er' : `${n}e`;
}

/** "12e sur 92 EPCI". */
export function formatRank(rank: number, total: number, unitPlural: string): string {
  return `${ordinal(rank)} sur ${formatCount(total)} ${unitPlural}`;
}

/** "de" before a place name, with French elision and contraction:
 * "d'Amiens", "d'Yvetot", "de Laon", "du Touquet-Paris-Plage" (Le → du),
 * "des Andelys" (Les → des), "de La Capelle". */
export function deNom(nom: string): string {
  const n = nom.trim();
  const m = /^(Le|Les)\s+(.+)$/.exec(n);
  if (m) return `${m[1] === 'Le' ? 'du' : 'des'} ${m[2]}`;
  if (/^(L')/.test(n)) return `de ${n}`;
  return /^[aeiouyhâàäéèêëîïôöûüœ]/i.test(n) ? `d'${n}` : `de ${n}`;
}

/** "à Amiens", "au Touquet-Paris-Plage", "aux Andelys". */
export function aNom(nom: string): string {
  const n = nom.trim();
  const m = /^(Le|Les)\s+(.+)$/.exec(n);
  if (m) return `${m[1] === 'Le' ? 'au' : 'aux'} ${m[2]}`;
  return `à ${n}`;
}

/** The name to show of a place: its normalised display name when the
 * server gave one, else the source's. */
export function displayName(p: {nom: string; nom_affiche?: string}): string {
  return p.nom_affiche || p.nom;
}

/** What a list or a sheet says of a place's opening hours: the computed
 * state when the hours could be read; otherwise "Horaires à confirmer
 * auprès du lieu" with the source's text as a detail (never raw syntax as
 * the main line); null without hours. */
export function hoursWording(
  computed: {valide: boolean; libelle: string; ouvert: boolean} | undefined,
  raw: string | undefined,
): {main: string; ouvert: boolean | null; detail: string | null} | null {
  if (computed?.valide) return {main: computed.libelle, ouvert: computed.ouvert, detail: null};
  const text = plainText(raw ?? '');
  if (!text) return null;
  return {main: 'Horaires à confirmer auprès du lieu', ouvert: null, detail: text};
}

/** Whether the device is a phone: a coarse pointer or a small viewport
 * (an "Itinéraire" link opens the phone's map application there). */
export function isPhone(w: {matchMedia(q: string): {matches: boolean}} = window): boolean {
  return w.matchMedia('(pointer: coarse)').matches || w.matchMedia('(max-width: 47.99em)').matches;
}

/** The default directions service: OpenStreetMap's, to the place. */
export const DEFAULT_DIRECTIONS = 'https://www.openstreetmap.org/directions?to={lat},{lon}';

/** The "Itinéraire" link of a place: a geo: URI on phones (the phone's own
 * map application), else the directions template with {lat}, {lon} and
 * {nom} (URL-encoded) filled in. Coordinates are rounded to 6 decimals. */
export function directionsHref(lat: number, lon: number, nom: string, phone: boolean, template: string | null = null): string {
  const la = lat.toFixed(6);
  const lo = lon.toFixed(6);
  if (phone) return `geo:${la},${lo}?q=${la},${lo}(${encodeURIComponent(nom)})`;
  const t = safeHttpUrl((template || DEFAULT_DIRECTIONS).replace(/\{(lat|lon|nom)\}/g, '0')) ? template || DEFAULT_DIRECTIONS : DEFAULT_DIRECTIONS;
  return t.replaceAll('{lat}', la).replaceAll('{lon}', lo).replaceAll('{nom}', encodeURIComponent(nom));
}
