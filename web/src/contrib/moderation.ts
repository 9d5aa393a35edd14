// The moderators' page (/moderation): login, the queue of proposals of
// the moderator's territory (filters: type, territory, age), a proposal as
// a field-by-field difference with the current record and a map of both
// positions, accept / edit then accept / reject with a reason; a place's
// history, "Confirmer ces informations", and the closed places with
// "Restaurer". Every value from the data is set as text.

import {dsfrTable, h, replaceChildren} from '../dom.ts';
import {
  accept,
  moderationError,
  closedPlaces,
  confirmPlace,
  ContribError,
  currentSession,
  getHistory,
  login,
  logout,
  proposalDetail,
  queue,
  reject,
  restorePlace,
  type Champs,
  type HistoryEntry,
  type Proposal,
  type ProposalDetail,
  type SessionInfo,
} from './client.ts';
import {ACTIONS, computeDifferences, diffRows, MOTIVES, STATUSES, TYPES, type DiffRow} from './diff.ts';
import {labelOf} from './fields.ts';
import {MiniMap, type Pin} from './minimap.ts';
import {ageInDays, alertBox, formatDateTime, inputField, say, setError} from './ui.ts';

/** The "avant / après" table of the differences. */
export function diffTable(rows: DiffRow[], caption: string): HTMLElement {
  const cell = (lines: string[]) => (lines.length === 0 ? h('td', {class: 'diff__vide'}, '(vide)') : h('td', {}, lines.length === 1 ? lines[0]! : h('ul', {}, lines.map((l) => h('li', {}, l)))));
  return dsfrTable(
    'fr-table--bordered diff',
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Champ'), h('th', {scope: 'col'}, 'Avant'), h('th', {scope: 'col'}, 'Après'))),
      h(
        'tbody',
        {},
        rows.length
          ? rows.map((r) => h('tr', {class: `diff__${r.kind}`, 'data-champ': r.champ}, h('th', {scope: 'row'}, r.label), cell(r.avant), cell(r.apres)))
          : h('tr', {}, h('td', {colspan: 3}, 'Aucune différence.')),
      ),
    ),
  );
}

function historyList(entries: HistoryEntry[]): HTMLElement {
  if (!entries.length) return h('p', {}, 'Aucun historique.');
  return h(
    'ol',
    {class: 'historique'},
    entries.map((e) => {
      const who =
        e.auteur?.type === 'moderation'
          ? `modération${e.moderateur ? ` (${e.moderateur})` : ''}${e.auteur.proposition ? `, proposition n° ${e.auteur.proposition}` : ''}`
          : `import${e.sources?.length ? ` (${e.sources.join(', ')})` : ''}`;
      return h(
        'li',
        {'data-action': e.action},
        h('strong', {}, ACTIONS[e.action] ?? e.action),
        ` le ${formatDateTime(e.date)} — ${who}`,
        e.champs?.length ? h('br') : null,
        e.champs?.length ? `Champs : ${e.champs.map(labelOf).join(', ')}` : null,
      );
    }),
  );
}

function placeName(p: Record<string, unknown>): string {
  const props = (p['properties'] as Record<string, unknown> | undefined) ?? p;
  return String(props['nom'] ?? props['id'] ?? '');
}

function placeId(p: Record<string, unknown>): string {
  const props = (p['properties'] as Record<string, unknown> | undefined) ?? p;
  return String(props['id'] ?? p['id'] ?? '');
}

export class ModerationPage {
  readonly #root: HTMLElement;
  readonly #heading: HTMLElement;
  #session: SessionInfo | null = null;
  #queueEl = h('section', {class: 'moderation__section', id: 'file', 'aria-labelledby': 'file-titre'});
  #detailEl = h('section', {class: 'moderation__section', id: 'detail', 'aria-labelledby': 'detail-titre', hidden: true});
  #closedEl = h('section', {class: 'moderation__section', id: 'fermes', 'aria-labelledby': 'fermes-titre'});
  #historyEl = h('section', {class: 'moderation__section', id: 'historique', 'aria-labelledby': 'historique-titre'});
  #message = h('div', {id: 'moderation-message', role: 'status', 'aria-live': 'polite'});
  #filters = new URLSearchParams({statut: 'en_attente'});

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#heading = h('h1', {id: 'titre-page', tabindex: -1}, 'Modération des propositions');
    document.title = 'Modération — Cartonum';
  }

  async mount(): Promise<void> {
    replaceChildren(this.#root, this.#heading, h('p', {role: 'status'}, 'Chargement…'));
    try {
      this.#session = await currentSession();
    } catch {
      this.#session = null;
    }
    if (this.#session) this.#showBoard(false);
    else this.#showLogin(null);
  }

  #showLogin(error: string | null): void {
    const email = inputField({name: 'email', label: 'Adresse électronique', type: 'email', autocomplete: 'username', required: true, idPrefix: 'connexion-email'});
    const password = inputField({name: 'password', label: 'Mot de passe', type: 'password', autocomplete: 'current-password', required: true, idPrefix: 'connexion-mdp'});
    const msg = h('div', {id: 'connexion-message', tabindex: -1});
    if (error) say(msg, 'error', error);
    const form = h(
      'form',
      {class: 'connexion', novalidate: true, 'aria-labelledby': 'connexion-titre'},
      h('h2', {id: 'connexion-titre'}, 'Connexion des modérateurs'),
      h('p', {class: 'fr-hint-text'}, 'Les comptes sont créés par un administrateur.'),
      msg,
      h('fieldset', {class: 'fr-fieldset'}, h('legend', {class: 'fr-fieldset__legend fr-sr-only'}, 'Identifiants'), h('div', {class: 'fr-fieldset__element'}, email.el), h('div', {class: 'fr-fieldset__element'}, password.el)),
      h('button', {type: 'submit', class: 'fr-btn', id: 'se-connecter'}, 'Se connecter'),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      setError(email.slot, email.input.value.trim() ? null : 'Indiquez votre adresse électronique.');
      setError(password.slot, password.input.value ? null : 'Indiquez votre mot de passe.');
      if (!email.input.value.trim()) return email.input.focus();
      if (!password.input.value) return password.input.focus();
      try {
        this.#session = await login(email.input.value.trim(), password.input.value);
        this.#showBoard(true);
      } catch (err) {
        const m = err instanceof ContribError && err.status === 429 ? 'Trop de tentatives : réessayez dans quelques minutes.' : err instanceof ContribError && err.status === 401 ? 'Identifiants incorrects.' : moderationError(err);
        say(msg, 'error', m);
        password.input.value = '';
        msg.focus();
      }
    });
    replaceChildren(this.#root, this.#heading, form);
  }

  #showBoard(focus: boolean): void {
    const s = this.#session!;
    const out = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm', id: 'se-deconnecter'}, 'Se déconnecter');
    out.addEventListener('click', async () => {
      try {
        await logout();
      } catch {
        // the session is forgotten here anyway
      }
      this.#session = null;
      this.#showLogin(null);
      this.#root.querySelector<HTMLElement>('input')?.focus();
    });
    const scope = s.utilisateur.role === 'administrateur' ? 'administrateur (tous les territoires)' : `modérateur — ${[...(s.utilisateur.departements ?? []).map((d) => `département ${d}`), ...(s.utilisateur.epci ?? []).map((e) => `EPCI ${e}`)].join(', ') || 'aucun territoire'}`;
    replaceChildren(
      this.#root,
      this.#heading,
      h('div', {class: 'moderation__compte'}, h('p', {id: 'compte'}, `Connecté : ${s.utilisateur.email}, ${scope}`), out),
      this.#message,
      this.#queueEl,
      this.#detailEl,
      this.#historyEl,
      this.#closedEl,
    );
    this.#renderFilters();
    this.#renderHistoryForm();
    void this.#loadQueue();
    void this.#loadClosed();
    if (focus) this.#heading.focus();
    // /moderation?proposition=N opens a proposal (a link shared between
    // moderators).
    const asked = Number(new URLSearchParams(window.location.search).get('proposition'));
    if (Number.isInteger(asked) && asked > 0) void this.#openDetail(asked);
  }

  #renderFilters(): void {
    const sel = (id: string, label: string, name: string, options: [string, string][]) => {
      const select = h('select', {class: 'fr-select', id, name}, options.map(([v, l]) => h('option', {value: v}, l)));
      select.value = this.#filters.get(name) ?? '';
      return {el: h('div', {class: 'fr-select-group'}, h('label', {class: 'fr-label', for: id}, label), select), select};
    };
    const statut = sel('filtre-statut', 'Statut', 'statut', [['en_attente', 'En attente'], ['acceptee', 'Acceptées'], ['refusee', 'Refusées']]);
    const type = sel('filtre-type', 'Type', 'type', [['', 'Tous'], ['ajout', 'Ajouts'], ['modification', 'Modifications'], ['signalement', 'Signalements']]);
    const age = sel('filtre-age', 'Ancienneté', 'age_min_jours', [['', 'Toutes'], ['7', 'Plus de 7 jours'], ['30', 'Plus de 30 jours']]);
    const user = this.#session?.utilisateur;
    const deps = user?.departements ?? [];
    const epcis = user?.epci ?? [];
    // A moderator picks among the territories of the account; an
    // administrator types a code.
    const territory: {el: HTMLElement; select: HTMLSelectElement | HTMLInputElement}[] = [];
    if (user?.role === 'administrateur') {
      for (const [name, label, hint] of [
        ['departement', 'Département', 'Code, par exemple 80'],
        ['epci', 'EPCI', 'SIREN à 9 chiffres'],
      ] as const) {
        const id = `filtre-${name}`;
        const input = h('input', {class: 'fr-input', id, name, type: 'text', inputmode: 'numeric', autocomplete: 'off', 'aria-describedby': `${id}-aide`, size: 9});
        input.value = this.#filters.get(name) ?? '';
        territory.push({el: h('div', {class: 'fr-input-group'}, h('label', {class: 'fr-label', for: id}, label, h('span', {class: 'fr-hint-text', id: `${id}-aide`}, hint)), input), select: input});
      }
    } else {
      if (deps.length > 1) territory.push(sel('filtre-departement', 'Département', 'departement', [['', 'Tous mes départements'], ...deps.map((d): [string, string] => [d, d])]));
      if (epcis.length > 1) territory.push(sel('filtre-epci', 'EPCI', 'epci', [['', 'Tous mes EPCI'], ...epcis.map((d): [string, string] => [d, d])]));
    }
    const form = h(
      'form',
      {class: 'moderation__filtres', 'aria-label': 'Filtrer la file'},
      statut.el,
      type.el,
      territory.map((t) => t.el),
      age.el,
      h('button', {type: 'submit', class: 'fr-btn fr-btn--secondary'}, 'Filtrer'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const p = new URLSearchParams();
      for (const s of [statut.select, type.select, ...territory.map((t) => t.select), age.select]) if (s.value.trim()) p.set(s.name, s.value.trim());
      this.#filters = p;
      void this.#loadQueue();
    });
    replaceChildren(this.#queueEl, h('h2', {id: 'file-titre'}, 'File des propositions'), form, h('div', {id: 'file-liste', 'aria-live': 'polite'}));
  }

  async #loadQueue(): Promise<void> {
    const list = this.#queueEl.querySelector<HTMLElement>('#file-liste')!;
    list.setAttribute('aria-busy', 'true');
    try {
      const items = await queue(this.#filters);
      const rows = items.map((p) => {
        const b = h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary', 'data-id': p.id}, 'Examiner', h('span', {class: 'fr-sr-only'}, ` la proposition n° ${p.id}`));
        b.addEventListener('click', () => void this.#openDetail(p.id));
        return h(
          'tr',
          {'data-id': p.id},
          h('td', {}, String(p.id)),
          h('td', {}, TYPES[p.type] ?? p.type, p.origine === 'source' ? ` (source ${p.source ?? ''})` : ''),
          h('td', {class: 'file__nom'}, p.nom ?? ''),
          h('td', {}, p.commune ?? ''),
          h('td', {}, `${formatDateTime(p.cree_le)} (${ageInDays(p.cree_le)} j)`),
          h('td', {}, STATUSES[p.statut] ?? p.statut),
          h('td', {}, b),
        );
      });
      replaceChildren(
        list,
        items.length
          ? dsfrTable(
              'fr-table--bordered',
              h(
                'table',
                {id: 'file-table'},
                h('caption', {}, `${items.length} proposition${items.length > 1 ? 's' : ''}`),
                h('thead', {}, h('tr', {}, ['N°', 'Type', 'Nom', 'Commune', 'Déposée le', 'Statut', 'Action'].map((c) => h('th', {scope: 'col'}, c)))),
                h('tbody', {}, rows),
              ),
            )
          : h('p', {id: 'file-vide'}, 'Aucune proposition ne correspond.'),
      );
    } catch (e) {
      if (e instanceof ContribError && e.status === 401) return this.#expired();
      replaceChildren(list, h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, moderationError(e))));
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  #expired(): void {
    this.#session = null;
    this.#showLogin('Votre session a expiré : reconnectez-vous.');
  }

  async #openDetail(id: number): Promise<void> {
    const el = this.#detailEl;
    el.hidden = false;
    const title = h('h2', {id: 'detail-titre', tabindex: -1}, `Proposition n° ${id}`);
    replaceChildren(el, title, h('p', {role: 'status'}, 'Chargement…'));
    title.focus();
    let d: ProposalDetail;
    try {
      d = await proposalDetail(id);
    } catch (e) {
      if (e instanceof ContribError && e.status === 401) return this.#expired();
      replaceChildren(el, title, h('div', {class: 'fr-alert fr-alert--error fr-alert--sm', id: 'detail-erreur'}, h('p', {}, moderationError(e))));
      return;
    }
    this.#renderDetail(d, title);
  }

  #renderDetail(d: ProposalDetail, title: HTMLElement): void {
    const p = d.proposition;
    const el = this.#detailEl;
    const name = p.nom || String(d.actuel?.['nom'] ?? d.propose?.['nom'] ?? '');
    title.textContent = `Proposition n° ${p.id} — ${TYPES[p.type] ?? p.type}${name ? ` — ${name}` : ''}`;
    const diffs = d.differences && d.differences.length ? d.differences : d.propose ? computeDifferences(d.actuel, d.propose) : [];
    const rows = diffRows(diffs);
    const row = (label: string, value: string | null | undefined) => (value ? [h('dt', {}, label), h('dd', {}, value)] : []);
    const pins: Pin[] = [];
    const pos = (r: Record<string, unknown> | null) => (r && Number(r['longitude']) && Number(r['latitude']) ? {lon: Number(r['longitude']), lat: Number(r['latitude'])} : null);
    const before = pos(d.actuel);
    const after = pos(d.propose);
    if (before) pins.push({...before, kind: 'avant', title: 'Position actuelle (A)'});
    if (after && (!before || after.lon !== before.lon || after.lat !== before.lat)) pins.push({...after, kind: 'apres', title: 'Position proposée (B)'});
    const mapEl = h('div', {class: 'moderation__carte', role: 'region', 'aria-label': 'Carte des positions actuelle (A) et proposée (B)'});

    const actionMsg = h('div', {id: 'decision-message', tabindex: -1, 'aria-live': 'polite'});
    const pending = p.statut === 'en_attente';
    const acceptBtn = h('button', {type: 'button', class: 'fr-btn', id: 'accepter'}, 'Accepter');
    const editBtn = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary', id: 'modifier-accepter', 'aria-expanded': 'false', 'aria-controls': 'edition'}, 'Modifier puis accepter');
    const rejectBtn = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary', id: 'refuser', 'aria-expanded': 'false', 'aria-controls': 'refus'}, 'Refuser');
    const editZone = h('div', {id: 'edition', hidden: true});
    const rejectZone = h('div', {id: 'refus', hidden: true});

    const decided = (msg: string) => {
      say(actionMsg, 'success', msg);
      for (const b of [acceptBtn, editBtn, rejectBtn]) b.disabled = true;
      editZone.hidden = true;
      rejectZone.hidden = true;
      actionMsg.focus();
      void this.#loadQueue();
      void this.#loadClosed();
    };
    const failed = (e: unknown) => {
      if (e instanceof ContribError && e.status === 401) return this.#expired();
      say(actionMsg, 'error', moderationError(e));
      actionMsg.focus();
    };
    acceptBtn.addEventListener('click', async () => {
      acceptBtn.disabled = true;
      try {
        const r = await accept(p.id);
        decided(p.type === 'signalement' && p.motif === 'ferme' ? 'Proposition acceptée : le lieu est fermé et retiré de la carte.' : `Proposition acceptée : la carte est à jour${r?.lieu ? ` (lieu ${r.lieu})` : ''}.`);
      } catch (e) {
        acceptBtn.disabled = false;
        failed(e);
      }
    });
    editBtn.addEventListener('click', () => {
      const open = editZone.hidden;
      editZone.hidden = !open;
      editBtn.setAttribute('aria-expanded', String(open));
      if (open) {
        this.#renderEdit(editZone, d, rows, async (champs) => {
          try {
            await accept(p.id, champs);
            decided('Proposition modifiée puis acceptée : la carte est à jour.');
          } catch (e) {
            failed(e);
          }
        });
        editZone.querySelector<HTMLElement>('input, textarea')?.focus();
      }
    });
    rejectBtn.addEventListener('click', () => {
      const open = rejectZone.hidden;
      rejectZone.hidden = !open;
      rejectBtn.setAttribute('aria-expanded', String(open));
      if (!open) return;
      const reason = inputField({name: 'motif', label: 'Raison du refus', hint: 'Elle est affichée au contributeur sur sa page de suivi.', textarea: true, required: true, idPrefix: 'refus-raison'});
      const confirm = h('button', {type: 'button', class: 'fr-btn', id: 'confirmer-refus'}, 'Confirmer le refus');
      confirm.addEventListener('click', async () => {
        const text = reason.input.value.trim();
        if (!text) {
          setError(reason.slot, 'Indiquez la raison du refus.');
          reason.input.focus();
          return;
        }
        setError(reason.slot, null);
        try {
          await reject(p.id, text);
          decided('Proposition refusée.');
        } catch (e) {
          failed(e);
        }
      });
      replaceChildren(rejectZone, reason.el, confirm);
      reason.input.focus();
    });

    const placeRef = p.lieu || p.resultat;
    const confirmBtn = placeRef && d.actuel ? h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary', id: 'confirmer-infos'}, 'Confirmer ces informations') : null;
    confirmBtn?.addEventListener('click', async () => {
      try {
        await confirmPlace(placeRef!);
        say(actionMsg, 'success', "Informations confirmées : la date de mise à jour du lieu est celle d'aujourd'hui.");
      } catch (e) {
        failed(e);
      }
      actionMsg.focus();
    });

    replaceChildren(
      el,
      title,
      h(
        'dl',
        {class: 'moderation__infos'},
        row('Statut', STATUSES[p.statut] ?? p.statut),
        row('Déposée le', formatDateTime(p.cree_le)),
        row('Motif du signalement', p.motif ? (MOTIVES.find((m) => m.code === p.motif)?.libelle ?? p.motif) : null),
        row('Commentaire du contributeur', p.commentaire),
        row('Courriel du contributeur (non publié)', p.courriel),
        row('Source', p.origine === 'source' ? p.source : null),
        row('Raison', p.raison),
      ),
      d.actuel ? null : h('p', {}, 'Nouveau lieu : aucune fiche actuelle.'),
      diffTable(rows, 'Différences avec la fiche actuelle'),
      d.reparations?.length ? h('div', {}, h('h3', {}, 'Corrections de la vérification'), h('ul', {}, d.reparations.map((r) => h('li', {}, `${labelOf(r.champ)} : ${r.message}`)))) : null,
      pins.length ? h('div', {}, h('h3', {}, 'Positions'), h('p', {class: 'fr-text--sm'}, pins.length > 1 ? 'A : position actuelle ; B : position proposée.' : 'Position du lieu.'), mapEl) : null,
      actionMsg,
      pending ? h('div', {class: 'moderation__decision'}, acceptBtn, editBtn, rejectBtn) : null,
      editZone,
      rejectZone,
      confirmBtn ? h('div', {class: 'fr-mt-2w'}, confirmBtn) : null,
      d.historique?.length ? h('div', {}, h('h3', {}, 'Historique du lieu'), historyList(d.historique)) : null,
    );
    if (pins.length) new MiniMap({container: mapEl, pins});
    // The title was moved with the re-rendering: give it the focus back.
    title.focus();
  }

  #renderEdit(zone: HTMLElement, d: ProposalDetail, rows: DiffRow[], onAccept: (c: Champs) => Promise<void>): void {
    const lists = new Set<string>();
    const fields = rows
      .map((r) => {
        const raw = d.propose?.[r.champ] ?? (d.proposition.champs?.[r.champ] as unknown);
        const isList = Array.isArray(raw);
        if (isList) lists.add(r.champ);
        const f = inputField({
          name: r.champ,
          label: r.label,
          hint: isList ? 'Une valeur par ligne.' : undefined,
          textarea: isList || r.apres.join('').length > 80,
          value: isList ? (raw as unknown[]).map(String).join('\n') : r.apres.join(''),
          idPrefix: `edition-${r.champ}`,
        });
        return {name: r.champ, f};
      });
    const go = h('button', {type: 'button', class: 'fr-btn', id: 'accepter-modifie'}, 'Accepter avec ces valeurs');
    go.addEventListener('click', () => {
      const champs: Champs = {};
      for (const {name, f} of fields) {
        champs[name] = lists.has(name) ? f.input.value.split('\n').map((x) => x.trim()).filter(Boolean) : f.input.value.trim();
      }
      void onAccept(champs);
    });
    replaceChildren(
      zone,
      h('h3', {}, 'Valeurs proposées, modifiables'),
      fields.length ? fields.map((x) => x.f.el) : h('p', {}, 'Aucun champ à modifier.'),
      go,
    );
  }

  #renderHistoryForm(): void {
    const field = inputField({name: 'lieu', label: 'Identifiant du lieu', hint: "Celui de l'adresse de sa fiche : /carte?lieu=…", idPrefix: 'historique-lieu'});
    const out = h('div', {id: 'historique-resultat', 'aria-live': 'polite'});
    const form = h('form', {class: 'moderation__historique', 'aria-label': "Historique d'un lieu"}, field.el, h('button', {type: 'submit', class: 'fr-btn fr-btn--secondary'}, "Afficher l'historique"));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const id = field.input.value.trim();
      if (!id) {
        setError(field.slot, "Indiquez l'identifiant du lieu.");
        field.input.focus();
        return;
      }
      setError(field.slot, null);
      await this.showHistory(id, out);
    });
    replaceChildren(this.#historyEl, h('h2', {id: 'historique-titre'}, "Historique d'un lieu"), form, out);
  }

  /** The history of a place, with "Confirmer ces informations". */
  async showHistory(id: string, out: HTMLElement, done = ''): Promise<void> {
    try {
      const entries = await getHistory(id);
      const msg = h('div', {role: 'status'});
      const confirm = h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm'}, 'Confirmer ces informations');
      confirm.addEventListener('click', async () => {
        try {
          await confirmPlace(id);
          // The history again, with the confirmation, then the message.
          await this.showHistory(id, out, "Informations confirmées : la date de mise à jour du lieu est celle d'aujourd'hui.");
          out.querySelector<HTMLElement>('button')?.focus();
        } catch (e) {
          say(msg, 'error', moderationError(e));
        }
      });
      replaceChildren(out, historyList(entries ?? []), confirm, msg);
      if (done) say(msg, 'success', done);
    } catch (e) {
      replaceChildren(out, h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, moderationError(e))));
    }
  }

  async #loadClosed(): Promise<void> {
    const el = this.#closedEl;
    const title = h('h2', {id: 'fermes-titre'}, 'Lieux fermés');
    try {
      const places = await closedPlaces();
      replaceChildren(
        el,
        title,
        places.length
          ? h(
              'ul',
              {class: 'moderation__fermes'},
              places.map((pl) => {
                const id = placeId(pl);
                const name = placeName(pl);
                const msg = h('span', {role: 'status'});
                const b = h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--secondary'}, 'Restaurer', h('span', {class: 'fr-sr-only'}, ` ${name}`));
                b.addEventListener('click', async () => {
                  try {
                    await restorePlace(id);
                    msg.textContent = ' Lieu restauré.';
                    b.disabled = true;
                  } catch (e) {
                    msg.textContent = ` ${moderationError(e)}`;
                  }
                });
                const hist = h('button', {type: 'button', class: 'fr-btn fr-btn--sm fr-btn--tertiary'}, 'Historique', h('span', {class: 'fr-sr-only'}, ` de ${name}`));
                hist.addEventListener('click', () => {
                  const input = this.#historyEl.querySelector<HTMLInputElement>('input');
                  if (input) input.value = id;
                  void this.showHistory(id, this.#historyEl.querySelector<HTMLElement>('#historique-resultat')!);
                  this.#historyEl.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
                  this.#historyEl.querySelector<HTMLElement>('h2')?.focus();
                });
                return h('li', {'data-id': id}, h('span', {class: 'fermes__nom'}, name), ' ', b, ' ', hist, msg);
              }),
            )
          : h('p', {}, 'Aucun lieu fermé par la modération.'),
      );
    } catch (e) {
      replaceChildren(el, title, h('p', {}, moderationError(e)));
    }
  }
}

export async function mountModeration(root: HTMLElement): Promise<void> {
  await new ModerationPage(root).mount();
}
