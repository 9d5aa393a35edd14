// The fields of the contribution form: the standard's columns (and the
// extra columns equipements and qualifications) with French labels and
// guidance, the checks made while typing, and the "champs" object sent to
// the API. Pure: tested in test/contrib.test.ts.

/** French labels of the columns, for the form, the differences and the
 * history. */
export const LABELS: Record<string, string> = {
  id: 'Identifiant',
  pivot: 'SIRET de la structure',
  nom: 'Nom du lieu',
  commune: 'Commune',
  code_postal: 'Code postal',
  code_insee: 'Code INSEE',
  adresse: 'Adresse',
  complement_adresse: "Complément d'adresse",
  latitude: 'Latitude',
  longitude: 'Longitude',
  position: 'Position',
  typologie: 'Typologie',
  telephone: 'Téléphone',
  courriels: 'Courriel de contact',
  site_web: 'Site web',
  horaires: "Horaires d'ouverture",
  presentation_resume: 'Présentation courte',
  presentation_detail: 'Présentation détaillée',
  source: 'Source',
  itinerance: 'Itinérance',
  structure_parente: 'Structure parente',
  date_maj: 'Date de mise à jour',
  services: 'Services proposés',
  publics_specifiquement_adresses: 'Publics accueillis en priorité',
  prise_en_charge_specifique: 'Prise en charge spécifique',
  frais_a_charge: 'Frais à la charge du public',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels',
  autres_formations_labels: 'Autres formations et labels',
  modalites_acces: "Modalités d'accès",
  modalites_accompagnement: "Modalités d'accompagnement",
  fiche_acces_libre: "Fiche d'accessibilité (Acceslibre)",
  prise_rdv: 'Prise de rendez-vous en ligne',
  equipements: 'Équipements en accès libre',
  qualifications: 'Qualifications',
  motif: 'Motif',
  commentaire: 'Commentaire',
  courriel: 'Votre courriel',
};

export function labelOf(champ: string): string {
  return LABELS[champ] ?? champ;
}

export type FieldKind = 'text' | 'textarea' | 'tel' | 'email' | 'url' | 'postcode' | 'siret';

/** A free-text field of the form. */
export interface TextField {
  name: string;
  kind: FieldKind;
  hint: string;
  required?: boolean;
  /** Sent as a one-element list (courriels, site_web). */
  list?: boolean;
  autocomplete?: string;
}

/** The text fields, by section of the form. */
export const IDENTITY_FIELDS: TextField[] = [
  {name: 'nom', kind: 'text', required: true, hint: 'Le nom affiché sur la porte ou connu du public. Par exemple : Espace numérique de la médiathèque'},
  {name: 'pivot', kind: 'siret', hint: 'Facultatif. Numéro SIRET (14 chiffres) ou RNA (W suivi de 9 chiffres) de la structure, s’il est connu.', autocomplete: 'off'},
  {name: 'structure_parente', kind: 'text', hint: "Facultatif. La structure qui porte le lieu (commune, association, centre social…)."},
  {name: 'presentation_resume', kind: 'textarea', hint: 'Une ou deux phrases : ce que le lieu propose et pour qui.'},
  {name: 'presentation_detail', kind: 'textarea', hint: 'Facultatif. Ateliers, accompagnement, conditions particulières.'},
];

export const ADDRESS_FIELDS: TextField[] = [
  {name: 'adresse', kind: 'text', required: true, hint: 'Numéro et nom de la voie. Par exemple : 12 rue de la République', autocomplete: 'off'},
  {name: 'complement_adresse', kind: 'text', hint: 'Facultatif. Bâtiment, étage, entrée…'},
  {name: 'code_postal', kind: 'postcode', required: true, hint: '5 chiffres. Par exemple : 80000', autocomplete: 'off'},
  {name: 'commune', kind: 'text', required: true, hint: 'Par exemple : Amiens', autocomplete: 'off'},
];

export const CONTACT_FIELDS: TextField[] = [
  {name: 'telephone', kind: 'tel', hint: 'Numéro à 10 chiffres. Par exemple : 03 22 12 34 56', autocomplete: 'off'},
  {name: 'courriels', kind: 'email', list: true, hint: 'Adresse publique du lieu. Par exemple : contact@mediatheque.fr', autocomplete: 'off'},
  {name: 'site_web', kind: 'url', list: true, hint: 'Adresse complète. Par exemple : https://www.mediatheque.fr', autocomplete: 'off'},
  {name: 'prise_rdv', kind: 'url', hint: 'Facultatif. Page où le public prend rendez-vous en ligne.', autocomplete: 'off'},
  {name: 'fiche_acces_libre', kind: 'url', hint: 'Facultatif. Fiche du lieu sur acceslibre.beta.gouv.fr.', autocomplete: 'off'},
];

/** The multiple-choice fields, in the order of the form, with guidance. */
export const CHOICE_FIELDS: {name: string; hint: string}[] = [
  {name: 'services', hint: 'Cochez tout ce que le lieu propose au public.'},
  {name: 'publics_specifiquement_adresses', hint: "Seulement si le lieu s'adresse en priorité à ces publics."},
  {name: 'prise_en_charge_specifique', hint: 'Accompagnement adapté proposé par le lieu.'},
  {name: 'itinerance', hint: 'Le lieu reçoit à une adresse fixe, ou se déplace (bus numérique, permanences).'},
  {name: 'modalites_acces', hint: 'Comment le public peut venir.'},
  {name: 'modalites_accompagnement', hint: "Comment le public est aidé."},
  {name: 'frais_a_charge', hint: 'Ce que le public paie.'},
  {name: 'dispositif_programmes_nationaux', hint: 'Seulement si le lieu est labellisé ou financé à ce titre.'},
  {name: 'formations_labels', hint: 'Formations ou labels des médiateurs du lieu.'},
  {name: 'equipements', hint: 'Matériel que le public peut utiliser sur place.'},
  {name: 'qualifications', hint: 'Le lieu accepte le Pass numérique (APTIC) ou utilise PictoAccess.'},
];

/** The values of a form, as the page holds them. */
export type FormValues = Record<string, string | string[]>;

/** Checks one text value as the import would; a French message or null. */
export function checkField(f: TextField, raw: string): string | null {
  const v = raw.trim();
  if (!v) return f.required ? `Indiquez : ${labelOf(f.name).toLowerCase()}.` : null;
  switch (f.kind) {
    case 'tel': {
      const d = v.replace(/[\s.\-()]/g, '');
      if (!/^(0\d{9}|\+33\d{9}|\+\d{8,15})$/.test(d)) return 'Numéro de téléphone invalide : 10 chiffres, par exemple 03 22 12 34 56.';
      return null;
    }
    case 'email':
      return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]{2,}$/.test(v) ? null : 'Adresse électronique invalide, par exemple contact@mediatheque.fr.';
    case 'url': {
      try {
        const u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`);
        if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname.includes('.')) throw new Error('bad');
        return null;
      } catch {
        return 'Adresse web invalide : elle doit commencer par https:// (par exemple https://www.mediatheque.fr).';
      }
    }
    case 'siret': {
      const d = v.replace(/\s/g, '');
      return /^(\d{14}|W\d{9})$/i.test(d) ? null : 'Le SIRET compte 14 chiffres (ou le RNA : W suivi de 9 chiffres).';
    }
    case 'postcode':
      return /^\d{5}$/.test(v) ? null : 'Le code postal compte 5 chiffres.';
    default:
      return null;
  }
}

/** A value of a place record as the form shows it. */
export function formValue(v: unknown): string | string[] {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (v === null || v === undefined) return '';
  return String(v);
}

function norm(v: string | string[] | undefined): string | string[] {
  if (Array.isArray(v)) return [...v].map((x) => x.trim()).filter(Boolean).sort();
  return (v ?? '').trim();
}

function same(a: string | string[] | undefined, b: string | string[] | undefined): boolean {
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** The "champs" of a proposal: for an ajout every filled field; for a
 * modification only the fields that differ from the current record. Lists
 * are arrays; one-line list fields (courriels, site_web) become a list of
 * one; an emptied field is sent as "" or []. */
export function buildChamps(values: FormValues, initial: FormValues | null, listFields: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, raw] of Object.entries(values)) {
    let v: string | string[] = Array.isArray(raw) ? raw.filter((x) => x.trim() !== '') : raw.trim();
    if (listFields.has(name) && !Array.isArray(v)) v = v ? v.split(/\s*[,;]\s*|\s+/).filter(Boolean) : [];
    if (initial) {
      let before = initial[name];
      if (listFields.has(name) && before !== undefined && !Array.isArray(before)) before = before ? [before] : [];
      if (same(v, before)) continue;
    } else if (v === '' || (Array.isArray(v) && v.length === 0)) continue;
    out[name] = v;
  }
  return out;
}
