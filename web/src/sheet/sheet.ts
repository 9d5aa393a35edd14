// The place sheet: the full record of a place (GET /api/sites/{id}) in the
// side panel. Focus moves to its title when it opens and back to where it
// was when it closes. Every value from the data is set as text; links are
// made only of http(s) URLs, e-mail addresses and phone numbers.

import {ApiError, getPlace, type ComputedHours, type Feature, type PlaceDetail} from '../api.ts';
import {dsfrTable, h, replaceChildren} from '../dom.ts';
import {formatDate, formatPhone, plainText, safeEmail, safeHttpUrl, telHref} from '../format.ts';
import {DAY_NAMES, describeDay, isStale, parisDay, readable, weekComments} from '../hours.ts';
import {isOlderThanAYear} from '../contrib/diff.ts';
import type {Store} from '../store.ts';
import {followFocusedPlace} from './follow.ts';
import {displayName, printOrientationSheet} from './print.ts';

/** The needs the nine services of the standard answer, for grouping. */
export const NEEDS: {label: string; services: string[]}[] = [
  {label: 'Démarches en ligne', services: ['Aide aux démarches administratives']},
  {
    label: 'Apprendre et comprendre le numérique',
    services: [
      'Maîtrise des outils numériques du quotidien',
      'Utilisation sécurisée du numérique',
      'Compréhension du monde numérique',
      'Loisirs et créations numériques',
      'Parentalité et éducation avec le numérique',
    ],
  },
  {label: 'Emploi', services: ['Insertion professionnelle via le numérique']},
  {label: "S'équiper et se connecter", services: ['Accès internet et matériel informatique', 'Acquisition de matériel informatique à prix solidaire']},
];

export function groupServices(services: string[]): {label: string; services: string[]}[] {
  const out = NEEDS.map((n) => ({label: n.label, services: n.services.filter((s) => services.includes(s))})).filter((n) => n.services.length);
  const known = new Set(NEEDS.flatMap((n) => n.services));
  const other = services.filter((s) => !known.has(s));
  if (other.length) out.push({label: 'Autres services', services: other});
  return out;
}

function list(values: string[] | undefined): HTMLElement | null {
  if (!values || values.length === 0) return null;
  return h('ul', {}, values.map((v) => h('li', {}, v)));
}

function section(title: string, ...content: (Node | null)[]): HTMLElement | null {
  if (content.every((c) => c === null)) return null;
  return h('section', {}, h('h3', {}, title), ...content);
}

function link(href: string, text: string, external = true): HTMLAnchorElement {
  return h('a', external ? {href, target: '_blank', rel: 'noopener noreferrer', class: 'fr-link', title: `${text} — nouvelle fenêtre`} : {href, class: 'fr-link'}, text);
}

/** The weekly hours computed by the server as a table, today highlighted. */
export function hoursTable(week: ComputedHours, today: number): HTMLElement {
  return dsfrTable(
    'fr-table--no-caption fr-table--bordered horaires',
    h(
      'table',
      {},
      h('caption', {}, "Horaires d'ouverture"),
      h('thead', {class: 'fr-sr-only'}, h('tr', {}, h('th', {scope: 'col'}, 'Jour'), h('th', {scope: 'col'}, 'Horaires'))),
      h(
        'tbody',
        {},
        DAY_NAMES.map((name, d) =>
          h(
            'tr',
            {class: d === today ? 'est-aujourdhui' : null},
            h('th', {scope: 'row'}, name[0]!.toUpperCase() + name.slice(1), d === today ? h('span', {class: 'fr-sr-only'}, " (aujourd'hui)") : null),
            h('td', {}, describeDay(week.semaine[d])),
          ),
        ),
      ),
    ),
  );
}

export class PlaceSheet {
  readonly #store: Store;
  readonly #root: HTMLElement;
  readonly #list: HTMLElement;
  #abort: AbortController | null = null;
  #returnFocus: HTMLElement | null = null;
  #current: Feature<PlaceDetail> | null = null;

  constructor(store: Store, root: HTMLElement, listRoot: HTMLElement) {
    this.#store = store;
    this.#root = root;
    this.#list = listRoot;
    root.addEventListener('click', (e) => this.#onClick(e));
    root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.#close();
      }
    });
    store.subscribe((s, prev) => {
      if (s.url.lieu !== prev.url.lieu || (s.route !== prev.route && s.route === 'carte')) this.#show(s.url.lieu, true);
      else if (s.minute !== prev.minute && this.#current && isStale(this.#current.properties.horaires_calcules, new Date())) this.#refresh(this.#current.id);
    });
    const map = document.getElementById('carte');
    if (map) followFocusedPlace(store, listRoot, map);
    this.#show(store.state.url.lieu, false);
  }

  #close(): void {
    this.#store.updateUrl({lieu: null}, 'push');
  }

  #show(id: string | null, moveFocus: boolean): void {
    this.#abort?.abort();
    if (!id) {
      const wasOpen = !this.#root.hidden;
      this.#root.hidden = true;
      this.#list.hidden = false;
      this.#current = null;
      if (this.#store.state.selected) this.#store.update({selected: null});
      if (wasOpen && moveFocus) {
        const back = this.#returnFocus;
        this.#returnFocus = null;
        if (back && document.contains(back)) back.focus();
        else this.#list.focus();
      }
      return;
    }
    if (this.#root.hidden) {
      const active = document.activeElement;
      this.#returnFocus = active instanceof HTMLElement && active !== document.body ? active : null;
    }
    const abort = new AbortController();
    this.#abort = abort;
    this.#root.hidden = false;
    this.#list.hidden = true;
    this.#root.setAttribute('aria-busy', 'true');
    replaceChildren(this.#root, this.#toolbar(), h('h2', {class: 'fiche__titre', id: 'fiche-titre', tabindex: -1}, 'Chargement de la fiche…'));
    if (moveFocus) this.#root.querySelector<HTMLElement>('#fiche-titre')?.focus();
    getPlace(id, abort.signal)
      .then((f) => {
        if (abort.signal.aborted) return;
        this.#current = f;
        this.#render(f, moveFocus);
        const [lon, lat] = f.geometry.coordinates;
        // A link to a place (/carte?lieu=ID, the sheet's short URL): the
        // map opens centred on it.
        if (!moveFocus && !this.#store.state.url.view) this.#store.moveCamera({center: [lon, lat], zoom: 15});
        this.#store.update({
          selected: {id: f.id, nom: displayName(f.properties), lon, lat, franceServices: (f.properties.dispositif_programmes_nationaux ?? []).includes('France Services')},
        });
      })
      .catch((err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        const msg = err instanceof ApiError && err.status === 404 ? "Ce lieu n'existe pas ou plus dans les données." : "La fiche n'a pas pu être chargée.";
        replaceChildren(this.#root, this.#toolbar(), h('h2', {class: 'fiche__titre', id: 'fiche-titre', tabindex: -1}, 'Fiche indisponible'), h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, msg)));
        if (moveFocus) this.#root.querySelector<HTMLElement>('#fiche-titre')?.focus();
      })
      .finally(() => this.#root.removeAttribute('aria-busy'));
  }

  /** Asks the place again, quietly, once its opening or closing has come. */
  #refresh(id: string): void {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    getPlace(id, abort.signal)
      .then((f) => {
        if (abort.signal.aborted || this.#current?.id !== id) return;
        this.#current = f;
        this.#render(f, false);
      })
      .catch(() => {}); // keep what is shown; the next minute tries again
  }

  #toolbar(): HTMLElement {
    return h(
      'div',
      {class: 'fiche__barre'},
      h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-btn--icon-left fr-icon-arrow-left-line', 'data-action': 'fermer'}, 'Retour à la liste'),
    );
  }

  #onClick(e: Event): void {
    const action = (e.target as Element).closest('[data-action]')?.getAttribute('data-action');
    if (action === 'fermer') this.#close();
    else if (action === 'copier') void this.#copyLink();
    else if (action === 'imprimer' && this.#current) void printOrientationSheet(this.#current, shortLink(this.#current.id));
  }

  async #copyLink(): Promise<void> {
    // The place's short URL, /carte?lieu=ID (the map opens centred on it).
    const url = this.#current ? shortLink(this.#current.id) : window.location.href;
    const out = this.#root.querySelector<HTMLElement>('#fiche-message');
    let ok = false;
    try {
      await navigator.clipboard.writeText(url);
      ok = true;
    } catch {
      // Insecure contexts have no clipboard API: copy from a hidden field.
      const field = h('textarea', {readonly: true, class: 'fr-sr-only', 'aria-hidden': 'true'});
      field.value = url;
      document.body.append(field);
      field.select();
      ok = document.execCommand('copy');
      field.remove();
    }
    if (out) out.textContent = ok ? 'Lien copié dans le presse-papiers.' : `Copiez ce lien : ${url}`;
  }

  #render(f: Feature<PlaceDetail>, moveFocus: boolean): void {
    const p = f.properties;
    const week = readable(p.horaires_calcules);
    const dispositifs = p.dispositif_programmes_nationaux ?? [];
    const labels = [...dispositifs, ...(p.formations_labels ?? []), ...(p.autres_formations_labels ?? [])];
    const rdv = safeHttpUrl(p.prise_rdv);
    const acces = safeHttpUrl(p.fiche_acces_libre);
    const tel = p.telephone ? telHref(p.telephone) : null;
    const emails = (p.courriels ?? []).map(safeEmail).filter((x): x is string => x !== null);
    const sites = (p.site_web ?? []).map(safeHttpUrl).filter((x): x is string => x !== null);
    const address = [p.adresse, p.complement_adresse, `${p.code_postal ?? ''} ${p.commune ?? ''}`.trim()].filter(Boolean);
    const sources = [...new Set([p.source, ...(p.provenance?.sources ?? [])].filter((x): x is string => !!x))];

    const hours: (Node | null)[] = [];
    if (week) {
      hours.push(hoursTable(week, parisDay(new Date())));
      const comments = weekComments(week);
      if (comments.length) hours.push(h('p', {class: 'fiche__avertissement'}, comments.join(' ; ')));
    } else if (p.horaires) {
      hours.push(h('p', {class: 'fiche__a-confirmer'}, 'Horaires à confirmer auprès du lieu'));
      hours.push(h('p', {class: 'fiche__avertissement'}, `Horaires indiqués par la source : ${plainText(p.horaires)}`));
    } else {
      hours.push(h('p', {class: 'fiche__avertissement'}, 'Horaires non renseignés.'));
    }

    const contacts = [
      tel && p.telephone ? h('li', {}, h('a', {href: tel, class: 'fr-link'}, formatPhone(p.telephone))) : null,
      ...emails.map((m) => h('li', {}, h('a', {href: `mailto:${m}`, class: 'fr-link'}, m))),
      ...sites.map((u) => h('li', {}, link(u, u.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, '')))),
    ].filter((x): x is HTMLLIElement => x !== null);

    replaceChildren(
      this.#root,
      this.#toolbar(),
      h('h2', {class: 'fiche__titre', id: 'fiche-titre', tabindex: -1}, displayName(p)),
      labels.length
        ? h(
            'div',
            {class: 'fiche__etiquettes'},
            labels.map((l) => h('p', {class: l === 'France Services' ? 'fr-badge fr-badge--sm fr-badge--no-icon badge-fs' : 'fr-badge fr-badge--sm fr-badge--no-icon'}, l)),
          )
        : null,
      h(
        'div',
        {class: 'fiche__statut'},
        week ? h('p', {class: `fr-badge ${week.ouvert ? 'fr-badge--success' : 'fr-badge--error'}`}, week.libelle) : h('p', {class: 'fr-badge'}, 'Horaires inconnus'),
      ),
      h('address', {class: 'fr-text--md fr-mb-1v'}, address.map((line, i) => [i ? h('br') : null, line]).flat()),
      p.provenance?.precision === 'commune' ? h('p', {class: 'fiche__avertissement'}, "Position approximative : le lieu est placé au centre de sa commune faute d'adresse géolocalisée.") : null,
      h(
        'div',
        {class: 'fiche__actions'},
        rdv ? h('a', {class: 'fr-btn fr-btn--sm fr-btn--icon-left fr-icon-calendar-line', href: rdv, target: '_blank', rel: 'noopener noreferrer', title: 'Prendre rendez-vous en ligne — nouvelle fenêtre'}, 'Prendre rendez-vous') : null,
        h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-links-line', 'data-action': 'copier'}, 'Copier le lien'),
        h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-printer-line', 'data-action': 'imprimer'}, "Imprimer une fiche d'orientation"),
      ),
      h('p', {class: 'fiche__message', id: 'fiche-message', role: 'status'}),
      isOlderThanAYear(p.date_maj, new Date())
        ? h('div', {class: 'fr-alert fr-alert--warning fr-alert--sm fiche__vieux', id: 'fiche-ancienne'}, h('p', {}, `Ces informations datent du ${formatDate(p.date_maj)}, il y a plus d'un an : elles ont pu changer. Vérifiez auprès du lieu avant de vous déplacer, et signalez-nous ce qui a changé.`))
        : null,
      p.presentation_resume || p.presentation_detail
        ? section('Présentation', h('p', {class: 'fiche__texte'}, p.presentation_detail || p.presentation_resume || ''))
        : null,
      section('Horaires', ...hours),
      section('Contact', contacts.length ? h('ul', {}, contacts) : h('p', {class: 'fiche__avertissement'}, 'Aucun contact renseigné.')),
      (() => {
        const groups = groupServices(p.services ?? []);
        return groups.length ? section('Services', ...groups.flatMap((g) => [h('h4', {}, g.label), list(g.services)])) : null;
      })(),
      section("Modalités d'accès", list(p.modalites_acces)),
      section("Modalités d'accompagnement", list(p.modalites_accompagnement)),
      section('Frais', list(p.frais_a_charge)),
      section('Publics accueillis en priorité', list(p.publics_specifiquement_adresses)),
      section('Prise en charge spécifique', list(p.prise_en_charge_specifique)),
      section('Accessibilité', acces ? h('p', {}, link(acces, "Voir la fiche d'accessibilité (Acceslibre)")) : h('p', {class: 'fiche__avertissement'}, "Pas de fiche Acceslibre renseignée.")),
      labels.length ? section('Labels et dispositifs', list(labels)) : null,
      section('Équipements en accès libre', list(p.equipements)),
      section('Qualifications', list(p.qualifications)),
      h(
        'p',
        {class: 'fiche__pied'},
        `Mis à jour le ${formatDate(p.date_maj)}`,
        sources.length ? ` — source : ${sources.join(', ')}` : '',
        p.structure_parente ? ` — structure parente : ${p.structure_parente}` : '',
      ),
      h(
        'div',
        {class: 'fiche__actions fiche__contribuer'},
        h('a', {class: 'fr-btn fr-btn--secondary fr-btn--sm fr-btn--icon-left fr-icon-edit-line', href: `/contribuer?type=modification&lieu=${encodeURIComponent(f.id)}`, id: 'proposer-modification'}, 'Proposer une modification'),
        h('a', {class: 'fr-btn fr-btn--tertiary fr-btn--sm fr-btn--icon-left fr-icon-alert-line', href: `/contribuer?type=signalement&lieu=${encodeURIComponent(f.id)}`, id: 'signaler-probleme'}, 'Signaler un problème'),
      ),
    );
    if (moveFocus) this.#root.querySelector<HTMLElement>('#fiche-titre')?.focus();
  }
}

/** The short link to a place, for sharing and printing. */
export function shortLink(id: string): string {
  return `${window.location.origin}/carte?lieu=${encodeURIComponent(id)}`;
}
