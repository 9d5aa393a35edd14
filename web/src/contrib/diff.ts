// The differences between a place and a proposal, as rows of text for the
// moderators' "avant / après" table. Values stay text: the table is built
// with text nodes (see moderation.ts), never parsed as HTML. Pure: tested
// in test/contrib.test.ts.

import {labelOf} from './fields.ts';

/** One difference as the API returns it. */
export interface Difference {
  champ: string;
  avant: unknown;
  apres: unknown;
}

export type DiffKind = 'ajout' | 'suppression' | 'modification';

export interface DiffRow {
  champ: string;
  label: string;
  /** Each value as lines of text; empty when not filled in. */
  avant: string[];
  apres: string[];
  kind: DiffKind;
}

/** A JSON value as lines of text. */
export function valueLines(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(valueLines);
  if (typeof v === 'object') return [JSON.stringify(v)];
  const s = String(v).trim();
  return s ? [s] : [];
}

/** The rows of the differences, in the given order. */
export function diffRows(diffs: Difference[]): DiffRow[] {
  return diffs.map((d) => {
    const avant = valueLines(d.avant);
    const apres = valueLines(d.apres);
    const kind: DiffKind = avant.length === 0 ? 'ajout' : apres.length === 0 ? 'suppression' : 'modification';
    return {champ: d.champ, label: labelOf(d.champ), avant, apres, kind};
  });
}

/** The differences between two records (when the API gives none), over
 * the fields of the second; "id", "date_maj" and "source" left out. */
export function computeDifferences(before: Record<string, unknown> | null, after: Record<string, unknown>): Difference[] {
  const skip = new Set(['id', 'date_maj', 'source', 'provenance', 'horaires_calcules', 'distance_m']);
  const out: Difference[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (skip.has(k)) continue;
    const a = before?.[k];
    if (JSON.stringify(valueLines(a)) !== JSON.stringify(valueLines(v))) out.push({champ: k, avant: a ?? null, apres: v});
  }
  return out;
}

/** "modification", "création"… of a history entry, in French. */
export const ACTIONS: Record<string, string> = {
  creation: 'Création',
  modification: 'Modification',
  fermeture: 'Fermeture',
  reouverture: 'Réouverture',
  suppression: 'Suppression',
};

export const TYPES: Record<string, string> = {
  ajout: 'Ajout d’un lieu',
  modification: 'Modification',
  signalement: 'Signalement',
};

export const STATUSES: Record<string, string> = {
  en_attente: 'En attente de modération',
  acceptee: 'Acceptée',
  refusee: 'Refusée',
};

export const MOTIVES: {code: string; libelle: string}[] = [
  {code: 'ferme', libelle: 'Le lieu a fermé'},
  {code: 'demenage', libelle: 'Le lieu a déménagé'},
  {code: 'horaires', libelle: 'Les horaires sont erronés'},
  {code: 'contact', libelle: 'Le contact est erroné'},
  {code: 'autre', libelle: 'Autre problème'},
];

/** Whether a date (YYYY-MM-DD or RFC 3339) is more than 12 months before
 * now. */
export function isOlderThanAYear(date: string | undefined, now: Date): boolean {
  if (!date) return false;
  const t = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  if (Number.isNaN(t)) return false;
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() - 1);
  return t < limit.getTime();
}
