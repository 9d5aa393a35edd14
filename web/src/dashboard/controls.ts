// The dashboard's controls: the mode (explore, scenario, siting), the
// indicator and the level of the map, the model's parameters (threshold,
// speed, detour, services, dispositifs) and what the map shows. Every
// change goes to the store, and so to the URL.

import {h} from '../dom.ts';
import {formatDecimal} from '../format.ts';
import type {Store} from '../store.ts';
import {INDICATORS} from './indicators.ts';
import {
  BOUNDS,
  DISPOSITIFS,
  INDICATOR_KEYS,
  PROFILES,
  SERVICES,
  THRESHOLD_PRESETS,
  defaultParams,
  inBounds,
  type DashState,
  type IndicatorKey,
  type Level,
  type Mode,
  type ModelParams,
  type Profile,
} from './state.ts';

const PROFILE_LABELS: Record<Profile, string> = {
  population: 'Toute la population',
  '65plus': 'Habitants de 65 ans et plus',
  pauvres: 'Habitants des ménages pauvres',
  mixte: 'Mixte (population, 65 ans et plus, ménages pauvres)',
};

const MODE_LABELS: Record<Mode, string> = {
  exploration: 'Explorer',
  scenario: 'Scénario',
  implantation: 'Implantation',
};

const LEVEL_LABELS: Record<Level, string> = {commune: 'Communes', epci: 'EPCI', departement: 'Départements', region: 'Régions'};

/** A DSFR segmented control (radio buttons). */
function segmented(name: string, legend: string, options: [string, string][], small = true): HTMLElement {
  return h(
    'fieldset',
    {class: `fr-segmented${small ? ' fr-segmented--sm' : ''}`},
    h('legend', {class: 'fr-segmented__legend'}, legend),
    h(
      'div',
      {class: 'fr-segmented__elements'},
      options.map(([value, label]) =>
        h(
          'div',
          {class: 'fr-segmented__element'},
          h('input', {type: 'radio', name, value, id: `tdb-${name}-${value}`}),
          h('label', {class: 'fr-label', for: `tdb-${name}-${value}`}, label),
        ),
      ),
    ),
  );
}

function select(id: string, label: string, options: [string, string][], hint?: string): HTMLElement {
  return h(
    'div',
    {class: 'fr-select-group'},
    h('label', {class: 'fr-label', for: id}, label, hint ? h('span', {class: 'fr-hint-text'}, hint) : null),
    h('select', {class: 'fr-select', id, name: id}, options.map(([v, l]) => h('option', {value: v}, l))),
  );
}

function numberInput(id: string, label: string, unit: string, b: {min: number; max: number; step: number}): HTMLElement {
  return h(
    'div',
    {class: 'fr-input-group', id: `${id}-groupe`},
    h('label', {class: 'fr-label', for: id}, label, h('span', {class: 'fr-hint-text'}, `${unit}, ${b.min} à ${b.max}`)),
    h('input', {class: 'fr-input', id, name: id, type: 'number', min: b.min, max: b.max, step: b.step, inputmode: 'decimal', required: true, 'aria-describedby': `${id}-erreur`}),
    h('p', {class: 'fr-error-text', id: `${id}-erreur`, hidden: true}),
  );
}

function checkbox(id: string, label: string, hint?: string): HTMLElement {
  return h(
    'div',
    {class: 'fr-checkbox-group fr-checkbox-group--sm'},
    h('input', {type: 'checkbox', id, name: id}),
    h('label', {class: 'fr-label', for: id}, label, hint ? h('span', {class: 'fr-hint-text'}, hint) : null),
  );
}

export class Controls {
  readonly #store: Store;
  readonly #form: HTMLFormElement;
  readonly #mode: HTMLElement;

  constructor(store: Store, modeRoot: HTMLElement, root: HTMLElement) {
    this.#store = store;
    this.#mode = segmented('mode', 'Mode', (Object.keys(MODE_LABELS) as Mode[]).map((m) => [m, MODE_LABELS[m]]), false);
    this.#mode.classList.add('tdb-modes');
    modeRoot.append(this.#mode);
    this.#form = h(
      'form',
      {class: 'tdb-formulaire', id: 'tdb-parametres-formulaire', novalidate: true},
      select(
        'tdb-indicateur',
        'Indicateur',
        INDICATOR_KEYS.map((k) => [k, INDICATORS[k].label]),
      ),
      segmented('niveau', 'Niveau', (Object.keys(LEVEL_LABELS) as Level[]).map((l) => [l, LEVEL_LABELS[l]])),
      h(
        'fieldset',
        {class: 'fr-fieldset tdb-offre', 'aria-labelledby': 'tdb-offre-legende'},
        h('legend', {class: 'fr-fieldset__legend fr-text--regular', id: 'tdb-offre-legende'}, 'Lieux pris en compte'),
        select('tdb-services', 'Service proposé', [['', 'Tous les services'], ...SERVICES.map((v): [string, string] => [v, v])]),
        select('tdb-dispositifs', 'Dispositif', [['', 'Tous les lieux'], ...DISPOSITIFS.map((v): [string, string] => [v, v])], 'Par exemple, France Services seulement'),
      ),
      h(
        'fieldset',
        {class: 'fr-fieldset tdb-demande', 'aria-labelledby': 'tdb-demande-legende'},
        h('legend', {class: 'fr-fieldset__legend fr-text--regular', id: 'tdb-demande-legende'}, 'Demande mesurée'),
        select(
          'tdb-profil',
          'Profil',
          PROFILES.map((p) => [p, PROFILE_LABELS[p]]),
          'Autre que la population : la grille INSEE doit être importée (cartonum import-grid)',
        ),
        checkbox('tdb-fragilite', 'Pondérer par la fragilité numérique', 'Demande de chaque commune × son score ÷ score moyen de la région (1 sans score)'),
      ),
      h(
        'fieldset',
        {class: 'fr-fieldset tdb-modele', 'aria-labelledby': 'tdb-modele-legende'},
        h('legend', {class: 'fr-fieldset__legend fr-text--regular', id: 'tdb-modele-legende'}, 'Modèle de trajet'),
        segmented(
          'seuil-preset',
          'Seuil de la zone blanche',
          THRESHOLD_PRESETS.map((p): [string, string] => [String(p.minutes), p.label]),
        ),
        h('p', {class: 'fr-hint-text tdb-seuils__aide', id: 'tdb-seuils-aide'}, THRESHOLD_PRESETS.map((p) => `${p.label} : ${p.hint}`).join(' ; ') + ' ; autre valeur : champ « Seuil ».'),
        h(
          'div',
          {class: 'tdb-modele__champs'},
          numberInput('tdb-seuil', 'Seuil', 'min', BOUNDS.seuil),
          numberInput('tdb-vitesse', 'Vitesse', 'km/h', BOUNDS.vitesse),
          numberInput('tdb-detour', 'Détour', '× vol d’oiseau', BOUNDS.detour),
        ),
        h(
          'div',
          {class: 'tdb-modele__actions'},
          h('button', {type: 'submit', class: 'fr-btn fr-btn--sm fr-btn--secondary'}, 'Appliquer'),
          h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary-no-outline', 'data-action': 'defaut'}, 'Valeurs par défaut'),
        ),
      ),
      h(
        'fieldset',
        {class: 'fr-fieldset tdb-affichage', 'aria-labelledby': 'tdb-affichage-legende'},
        h('legend', {class: 'fr-fieldset__legend fr-text--regular', id: 'tdb-affichage-legende'}, 'Sur la carte'),
        checkbox('tdb-zones', 'Zones blanches', 'Carrés de 1 km dont les habitants sont au-delà du seuil (hachures)'),
        checkbox('tdb-lieux', 'Lieux existants', 'Toujours affichés en mode scénario, pour pouvoir en retirer'),
      ),
    );
    root.append(h('h2', {class: 'tdb-section__titre', id: 'tdb-parametres-titre'}, 'Indicateur et paramètres'), this.#form);

    this.#mode.addEventListener('change', (e) => {
      const v = (e.target as HTMLInputElement).value as Mode;
      store.updateDash({mode: v}, 'push');
    });
    this.#form.addEventListener('change', (e) => this.#onChange(e));
    this.#form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#applyModel();
    });
    this.#form.querySelector('[data-action="defaut"]')!.addEventListener('click', () => {
      const d = defaultParams();
      const p = store.state.dash.params;
      this.#setErrors({});
      store.updateDash({params: {...p, seuil: d.seuil, vitesse: d.vitesse, detour: d.detour}}, 'push');
    });
    store.subscribe((s, prev) => {
      if (s.dash !== prev.dash) this.#sync(s.dash, prev.dash);
      if (s.board.regions !== prev.board.regions) this.#syncLevels(s.board.regions.length);
    });
    this.#sync(store.state.dash, null);
    this.#syncLevels(store.state.board.regions.length);
  }

  #field<T extends HTMLElement>(name: string): T {
    return this.#form.elements.namedItem(name) as unknown as T;
  }

  #onChange(e: Event): void {
    const t = e.target as HTMLInputElement | HTMLSelectElement;
    const s = this.#store.state.dash;
    switch (t.name) {
      case 'tdb-indicateur':
        this.#store.updateDash({indicateur: t.value as IndicatorKey}, 'push');
        break;
      case 'niveau':
        this.#store.updateDash({niveau: t.value as Level, territoire: null}, 'push');
        break;
      case 'tdb-services':
        this.#store.updateDash({params: {...s.params, services: t.value ? [t.value] : []}}, 'push');
        break;
      case 'tdb-dispositifs':
        this.#store.updateDash({params: {...s.params, dispositifs: t.value ? [t.value] : []}}, 'push');
        break;
      case 'seuil-preset':
        this.#setErrors({});
        this.#store.updateDash({params: {...s.params, seuil: Number(t.value)}}, 'push');
        break;
      case 'tdb-profil':
        this.#store.updateDash({params: {...s.params, profil: t.value as Profile}}, 'push');
        break;
      case 'tdb-fragilite':
        this.#store.updateDash({params: {...s.params, fragilite: (t as HTMLInputElement).checked}}, 'push');
        break;
      case 'tdb-zones':
        this.#store.updateDash({zones: (t as HTMLInputElement).checked}, 'push');
        break;
      case 'tdb-lieux':
        this.#store.updateDash({lieux: (t as HTMLInputElement).checked}, 'push');
        break;
      case 'tdb-seuil':
      case 'tdb-vitesse':
      case 'tdb-detour':
        this.#applyModel();
        break;
    }
  }

  /** Reads the three numbers; applies them when all are valid. */
  #applyModel(): void {
    const read = (name: string, b: {min: number; max: number}) => {
      const raw = this.#field<HTMLInputElement>(name).value.replace(',', '.').trim();
      return inBounds(raw === '' ? null : Number(raw), b);
    };
    const seuil = read('tdb-seuil', BOUNDS.seuil);
    const vitesse = read('tdb-vitesse', BOUNDS.vitesse);
    const detour = read('tdb-detour', BOUNDS.detour);
    const errors: Record<string, string> = {};
    if (seuil === null) errors['tdb-seuil'] = `Le seuil doit être un nombre de minutes de ${BOUNDS.seuil.min} à ${BOUNDS.seuil.max}.`;
    if (vitesse === null) errors['tdb-vitesse'] = `La vitesse doit être comprise entre ${BOUNDS.vitesse.min} et ${BOUNDS.vitesse.max} km/h.`;
    if (detour === null) errors['tdb-detour'] = `Le détour doit être compris entre ${formatDecimal(BOUNDS.detour.min, 0)} et ${formatDecimal(BOUNDS.detour.max, 0)}.`;
    this.#setErrors(errors);
    if (seuil === null || vitesse === null || detour === null) return;
    const p = this.#store.state.dash.params;
    if (p.seuil === seuil && p.vitesse === vitesse && p.detour === detour) return;
    this.#store.updateDash({params: {...p, seuil, vitesse, detour}}, 'push');
  }

  #setErrors(errors: Record<string, string>): void {
    for (const name of ['tdb-seuil', 'tdb-vitesse', 'tdb-detour']) {
      const group = this.#form.querySelector(`#${name}-groupe`)!;
      const input = this.#field<HTMLInputElement>(name);
      const msg = this.#form.querySelector<HTMLElement>(`#${name}-erreur`)!;
      const err = errors[name];
      group.classList.toggle('fr-input-group--error', Boolean(err));
      input.classList.toggle('fr-input--error', Boolean(err));
      if (err) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
      msg.hidden = !err;
      msg.textContent = err ?? '';
    }
  }

  /** The regions are a level when several are loaded. */
  #syncLevels(regions: number): void {
    const el = this.#form.querySelector<HTMLElement>('#tdb-niveau-region')?.closest<HTMLElement>('.fr-segmented__element');
    if (el) el.hidden = regions < 2;
  }

  #sync(d: DashState, prev: DashState | null): void {
    for (const input of this.#mode.querySelectorAll<HTMLInputElement>('input')) input.checked = input.value === d.mode;
    this.#field<HTMLSelectElement>('tdb-indicateur').value = d.indicateur;
    for (const input of this.#form.querySelectorAll<HTMLInputElement>('input[name="niveau"]')) input.checked = input.value === d.niveau;
    this.#syncChoice('tdb-services', d.params.services, 'services choisis');
    this.#syncChoice('tdb-dispositifs', d.params.dispositifs, 'dispositifs choisis');
    if (!prev || d.params !== prev.params) this.#syncNumbers(d.params);
    for (const input of this.#form.querySelectorAll<HTMLInputElement>('input[name="seuil-preset"]')) input.checked = Number(input.value) === d.params.seuil;
    this.#field<HTMLSelectElement>('tdb-profil').value = d.params.profil;
    this.#field<HTMLInputElement>('tdb-fragilite').checked = d.params.fragilite;
    this.#field<HTMLInputElement>('tdb-zones').checked = d.zones;
    this.#field<HTMLInputElement>('tdb-lieux').checked = d.lieux;
  }

  /** A select of one value; a URL may give several (then shown as such). */
  #syncChoice(name: string, values: string[], many: string): void {
    const sel = this.#field<HTMLSelectElement>(name);
    sel.querySelector('option[data-plusieurs]')?.remove();
    if (values.length > 1) {
      sel.append(h('option', {value: '__plusieurs', 'data-plusieurs': true}, `${values.length} ${many}`));
      sel.value = '__plusieurs';
    } else sel.value = values[0] ?? '';
  }

  #syncNumbers(p: ModelParams): void {
    const set = (name: string, v: number) => {
      const input = this.#field<HTMLInputElement>(name);
      if (document.activeElement !== input || Number(input.value) !== v) input.value = String(v);
    };
    set('tdb-seuil', p.seuil);
    set('tdb-vitesse', p.vitesse);
    set('tdb-detour', p.detour);
    this.#setErrors({});
  }
}
