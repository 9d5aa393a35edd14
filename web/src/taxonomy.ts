// The vocabularies of the national standard (schéma des lieux de médiation
// numérique v1.0.2) that the map filters on, and those of Cartonum's extra
// columns (equipements, qualifications), spelled exactly as the API and the
// tiles expect them (internal/cartonum/vocabulary.go; a Go test compares
// them).

/** A filter over one multi-valued field: its API parameter and values. */
export interface Facet {
  param: FacetParam;
  label: string;
  values: readonly string[];
}

export type FacetParam =
  | 'services'
  | 'publics'
  | 'prise_en_charge'
  | 'frais'
  | 'modalites_accompagnement'
  | 'modalites_acces'
  | 'dispositifs'
  | 'equipements'
  | 'qualifications';

export const FACETS: readonly Facet[] = [
  {
    param: 'services',
    label: 'Besoins',
    values: [
      'Aide aux démarches administratives',
      'Maîtrise des outils numériques du quotidien',
      'Insertion professionnelle via le numérique',
      'Utilisation sécurisée du numérique',
      'Parentalité et éducation avec le numérique',
      'Loisirs et créations numériques',
      'Compréhension du monde numérique',
      'Accès internet et matériel informatique',
      'Acquisition de matériel informatique à prix solidaire',
    ],
  },
  {
    param: 'publics',
    label: 'Publics',
    values: ['Jeunes', 'Étudiants', 'Familles et/ou enfants', 'Seniors', 'Femmes'],
  },
  {
    param: 'prise_en_charge',
    label: 'Prise en charge spécifique',
    values: [
      'Surdité',
      'Handicaps moteurs',
      'Handicaps mentaux',
      'Illettrisme',
      'Langues étrangères (anglais)',
      'Langues étrangères (autres)',
      'Déficience visuelle',
    ],
  },
  {param: 'frais', label: 'Frais', values: ['Gratuit', 'Gratuit sous condition', 'Payant']},
  {
    param: 'modalites_accompagnement',
    label: "Modalités d'accompagnement",
    values: ['En autonomie', 'Accompagnement individuel', 'Dans un atelier collectif', 'À distance'],
  },
  {
    param: 'modalites_acces',
    label: "Modalités d'accès",
    values: [
      'Se présenter',
      'Téléphoner',
      'Contacter par mail',
      'Prendre un RDV en ligne',
      "Ce lieu n'accueille pas de public",
      'Envoyer un mail avec une fiche de prescription',
    ],
  },
  {
    param: 'dispositifs',
    label: 'Dispositifs et labels',
    values: [
      'France Services',
      'Conseillers numériques',
      'Aidants Connect',
      'Bibliothèques numérique de référence',
      'Certification PIX',
      'Emmaüs Connect',
      'Grande école du numérique',
      'La Croix Rouge',
      "Point d'accès numérique CAF",
      'Promeneurs du net',
      'Relais numérique (Emmaüs Connect)',
    ],
  },
  {
    param: 'equipements',
    label: 'Équipements',
    values: [
      'Ordinateurs en libre accès',
      'Imprimante',
      'Scanner',
      'Tablette',
      'Wifi',
      'Poste de visioconférence',
    ],
  },
  {
    param: 'qualifications',
    label: 'Qualifications',
    values: ['Pass numérique (APTIC)', 'PictoAccess'],
  },
];

export const FACET_PARAMS: readonly FacetParam[] = FACETS.map((f) => f.param);

/** Field of a place (API record) holding the values of each facet. */
export const FACET_FIELDS: Record<FacetParam, string> = {
  services: 'services',
  publics: 'publics_specifiquement_adresses',
  prise_en_charge: 'prise_en_charge_specifique',
  frais: 'frais_a_charge',
  modalites_accompagnement: 'modalites_accompagnement',
  modalites_acces: 'modalites_acces',
  dispositifs: 'dispositif_programmes_nationaux',
  equipements: 'equipements',
  qualifications: 'qualifications',
};

export const ONLINE_BOOKING = 'Prendre un RDV en ligne';
