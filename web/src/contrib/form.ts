// The contribution form (/contribuer?type=ajout|modification|signalement
// &lieu=ID): add a place, propose changes to a place (pre-filled with its
// current record) or report a problem. Before sending, the server checks
// the proposal with the import's normalisation (/api/propositions/
// verification): repairs and warnings are shown next to their fields, and
// blocking errors stop the sending. Nothing needs an account.

import {geocode, getConfig, getPlace, type GeocodeResult} from '../api.ts';
import {h, replaceChildren} from '../dom.ts';
import {
  ContribError,
  getForm,
  propose,
  verify,
  type FieldProblem,
  type FormInfo,
  type ProposalBody,
} from './client.ts';
import {MOTIVES} from './diff.ts';
import {
  ADDRESS_FIELDS,
  buildChamps,
  CHOICE_FIELDS,
  checkField,
  CONTACT_FIELDS,
  formValue,
  IDENTITY_FIELDS,
  labelOf,
  type FormValues,
  type TextField,
} from './fields.ts';
import {HoursEditor} from './hoursui.ts';
import {MiniMap} from './minimap.ts';
import {alertBox, choiceGroup, inputField, setError, setWarning, type FieldSlot} from './ui.ts';

type Kind = 'ajout' | 'modification' | 'signalement';

const TITLES: Record<Kind, string> = {
  ajout: 'Ajouter un lieu',
  modification: 'Proposer une modification',
  signalement: 'Signaler un problème',
};

const LIST_TEXT_FIELDS = new Set(['courriels', 'site_web']);

interface Ctx {
  kind: Kind;
  placeId: string | null;
  placeName: string;
  form: FormInfo;
  loadedAt: number;
  slots: Map<string, FieldSlot>;
  textInputs: Map<string, {field: TextField; input: HTMLInputElement | HTMLTextAreaElement}>;
  choices: Map<string, HTMLInputElement[]>;
  hours: HoursEditor | null;
  position: {lon: number; lat: number} | null;
  codeInsee: string;
  initial: FormValues | null;
  summary: HTMLElement;
  status: HTMLElement;
  checked: string | null;
}

function kindOf(s: string | null): Kind {
  return s === 'modification' || s === 'signalement' ? s : 'ajout';
}

/** Mounts the form page in root. */
export async function mountForm(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const kind = kindOf(params.get('type'));
  const placeId = params.get('lieu');
  const heading = h('h1', {id: 'titre-page', tabindex: -1}, TITLES[kind]);
  const loading = h('p', {role: 'status'}, 'Chargement du formulaire…');
  replaceChildren(root, heading, loading);
  document.title = `${TITLES[kind]} — Cartonum`;

  if (kind !== 'ajout' && !placeId) {
    replaceChildren(root, heading, alertBox('error', 'Lieu non précisé', h('p', {}, "Choisissez d'abord le lieu sur la carte, puis « Proposer une modification » ou « Signaler un problème » sur sa fiche."), h('p', {}, h('a', {href: '/carte', class: 'fr-link'}, 'Aller à la carte'))));
    return;
  }
  let form: FormInfo;
  let place: Record<string, unknown> | null = null;
  let vocab: Record<string, string[]> = {};
  let geocoder = false;
  try {
    const [f, cfg, p] = await Promise.all([
      getForm(),
      getConfig().catch(() => null),
      placeId ? getPlace(placeId) : Promise.resolve(null),
    ]);
    form = f;
    geocoder = !!cfg?.geocoder;
    vocab = {...(cfg?.vocabularies ?? {}), ...(f.vocabulaires ?? {})};
    if (p) {
      place = {...p.properties, latitude: String(p.geometry.coordinates[1]), longitude: String(p.geometry.coordinates[0])};
    }
  } catch (e) {
    const msg = e instanceof ContribError || e instanceof Error ? e.message : String(e);
    replaceChildren(root, heading, alertBox('error', 'Le formulaire est indisponible', h('p', {}, (e as {status?: number}).status === 404 ? "Ce lieu n'existe pas ou plus dans les données." : `Réessayez plus tard (${msg}).`)));
    return;
  }

  const ctx: Ctx = {
    kind,
    placeId,
    placeName: String(place?.['nom'] ?? ''),
    form,
    loadedAt: Date.now(),
    slots: new Map(),
    textInputs: new Map(),
    choices: new Map(),
    hours: null,
    position: place ? {lon: Number(place['longitude']), lat: Number(place['latitude'])} : null,
    codeInsee: String(place?.['code_insee'] ?? ''),
    initial: null,
    summary: h('div', {id: 'resume-erreurs', tabindex: -1}),
    status: h('div', {role: 'status', 'aria-live': 'polite', class: 'formulaire__statut'}),
    checked: null,
  };

  const el = h('form', {class: 'formulaire', novalidate: true, 'aria-labelledby': 'titre-page'});
  const intro = h(
    'div',
    {class: 'formulaire__intro'},
    place ? h('p', {class: 'fr-text--lead'}, 'Lieu : ', h('strong', {}, ctx.placeName)) : null,
    h('p', {}, 'Votre proposition sera relue par un modérateur avant d’être publiée sur la carte. Aucun compte n’est nécessaire.'),
    h('p', {class: 'fr-hint-text'}, 'Les champs marqués « obligatoire » doivent être remplis.'),
  );
  el.append(ctx.summary);

  if (kind === 'signalement') {
    const motifs = form.motifs?.length ? form.motifs : MOTIVES;
    const g = choiceGroup({name: 'motif', legend: 'Quel est le problème ?', values: motifs.map((m) => ({value: m.code, label: m.libelle})), checked: [], radio: true, required: true});
    ctx.slots.set('motif', g.slot);
    ctx.choices.set('motif', g.inputs);
    el.append(g.el);
    el.append(commentField(ctx, 'Précisez (facultatif sauf pour « Autre problème »)', 'Par exemple : le lieu a déménagé au 3 place de la Mairie ; les horaires ont changé depuis septembre.'));
  } else {
    const values: FormValues = {};
    // The unknown SIRET the import writes is shown as an empty field.
    const val = (name: string) => (name === 'pivot' && place?.[name] === '00000000000000' ? '' : formValue(place?.[name]));
    // Le lieu.
    const identity = section('Le lieu', IDENTITY_FIELDS.map((f) => textField(ctx, f, val(f.name))));
    // Adresse et position.
    const address = section('Adresse et position', ADDRESS_FIELDS.map((f) => textField(ctx, f, val(f.name))));
    addressTools(ctx, address, geocoder);
    // Horaires.
    const hours = new HoursEditor(String(place?.['horaires'] ?? ''));
    ctx.hours = hours;
    ctx.slots.set('horaires', {name: 'horaires', group: hours.element, focus: hours.element, error: hours.error, warning: hours.error, errorClass: 'fr-fieldset--error'});
    // Contact.
    const contact = section('Contact', CONTACT_FIELDS.map((f) => textField(ctx, f, Array.isArray(val(f.name)) ? (val(f.name) as string[]).join(', ') : (val(f.name) as string))));
    // Choices from the vocabularies.
    const choices = section(
      'Services et accueil',
      CHOICE_FIELDS.filter((c) => (vocab[c.name] ?? []).length > 0).map((c) => {
        const current = val(c.name);
        const g = choiceGroup({name: c.name, legend: labelOf(c.name), hint: c.hint, values: vocab[c.name]!.map((v) => ({value: v, label: v})), checked: Array.isArray(current) ? current : current ? [current] : []});
        ctx.slots.set(c.name, g.slot);
        ctx.choices.set(c.name, g.inputs);
        return g.el;
      }),
    );
    el.append(identity, address, h('section', {class: 'formulaire__section'}, h('h2', {}, 'Horaires'), hours.element), contact, choices);
    el.append(commentField(ctx, 'Un mot pour les modérateurs (facultatif)', 'Par exemple : je suis la responsable du lieu ; ces horaires valent depuis septembre.'));
    Object.assign(values, collect(ctx));
    ctx.initial = kind === 'modification' ? values : null;
  }

  // The contributor's e-mail, never published.
  const mail = inputField({name: 'courriel', label: 'Votre courriel (facultatif)', type: 'email', autocomplete: 'email', hint: "Seulement si le modérateur doit vous poser une question. Il n'est jamais publié ni transmis."});
  ctx.slots.set('courriel', mail.slot);
  ctx.textInputs.set('courriel', {field: {name: 'courriel', kind: 'email', hint: ''}, input: mail.input});
  mail.input.addEventListener('blur', () => setError(mail.slot, checkField({name: 'courriel', kind: 'email', hint: ''}, mail.input.value)));
  el.append(h('section', {class: 'formulaire__section'}, h('h2', {}, 'Vous'), mail.el));

  // Honeypot: invisible to people, filled by some robots.
  const trap = h('input', {type: 'text', name: 'site_internet', id: 'site_internet', tabindex: -1, autocomplete: 'off'});
  el.append(h('div', {class: 'formulaire__piege', 'aria-hidden': 'true'}, h('label', {for: 'site_internet'}, 'Ne pas remplir ce champ'), trap));

  const submit = h('button', {type: 'submit', class: 'fr-btn', id: 'envoyer'}, kind === 'signalement' ? 'Envoyer le signalement' : 'Vérifier et envoyer');
  const back = h('a', {class: 'fr-btn fr-btn--secondary', href: placeId ? `/carte?lieu=${encodeURIComponent(placeId)}` : '/carte'}, 'Annuler');
  el.append(ctx.status, h('div', {class: 'formulaire__boutons'}, submit, back));
  el.addEventListener('submit', (e) => {
    e.preventDefault();
    void send(ctx, el, trap, submit, root, heading);
  });
  replaceChildren(root, heading, intro, el);
}

function section(title: string, content: HTMLElement[]): HTMLElement {
  return h('section', {class: 'formulaire__section'}, h('h2', {}, title), content);
}

function textField(ctx: Ctx, f: TextField, value: string | string[]): HTMLElement {
  const typeOf: Record<string, string> = {tel: 'tel', email: 'email', url: 'url', postcode: 'text'};
  const r = inputField({
    name: f.name,
    label: labelOf(f.name),
    hint: f.hint,
    required: f.required ?? false,
    textarea: f.kind === 'textarea',
    type: typeOf[f.kind] ?? 'text',
    value: Array.isArray(value) ? value.join(', ') : value,
    autocomplete: f.autocomplete ?? 'off',
    ...(ctx.form.limites?.[f.name] ? {maxLength: ctx.form.limites[f.name]} : {}),
    ...(f.kind === 'postcode' ? {inputmode: 'numeric'} : {}),
  });
  ctx.slots.set(f.name, r.slot);
  ctx.textInputs.set(f.name, {field: f, input: r.input});
  // Inline validation when leaving the field, and again while correcting.
  r.input.addEventListener('blur', () => setError(r.slot, checkField(f, r.input.value)));
  r.input.addEventListener('input', () => {
    if (r.slot.error.textContent) setError(r.slot, checkField(f, r.input.value));
  });
  return r.el;
}

function commentField(ctx: Ctx, label: string, hint: string): HTMLElement {
  const r = inputField({name: 'commentaire', label, hint, textarea: true, maxLength: ctx.form.limites?.['commentaire'] ?? 2000});
  ctx.slots.set('commentaire', r.slot);
  ctx.textInputs.set('commentaire', {field: {name: 'commentaire', kind: 'textarea', hint}, input: r.input});
  return h('section', {class: 'formulaire__section'}, h('h2', {}, 'Commentaire'), r.el);
}

/** The address's suggestions (when a geocoder is configured) and the map
 * where the position is set. */
function addressTools(ctx: Ctx, sectionEl: HTMLElement, geocoder: boolean): void {
  const adresse = ctx.textInputs.get('adresse')!.input;
  const status = h('p', {class: 'fr-sr-only', role: 'status', 'aria-live': 'polite', id: 'adresse-statut'});
  const list = h('ul', {class: 'formulaire__suggestions', id: 'adresse-suggestions', 'aria-label': 'Adresses proposées'});
  const posText = h('p', {class: 'formulaire__position', id: 'position-texte', 'aria-live': 'polite'});
  const posSlot: FieldSlot = {name: 'latitude', group: h('div'), focus: adresse, error: h('p', {class: 'fr-error-text champ__message', id: 'position-erreur'}), warning: h('p', {class: 'champ__avertissement', id: 'position-avertissement'}), errorClass: 'fr-fieldset--error'};
  const mapEl = h('div', {class: 'formulaire__carte', id: 'carte-position', role: 'region', 'aria-label': 'Carte de la position du lieu', 'aria-describedby': 'position-aide position-texte position-erreur'});
  const showPos = () => {
    posText.textContent = ctx.position
      ? `Position choisie : latitude ${ctx.position.lat.toFixed(5)}, longitude ${ctx.position.lon.toFixed(5)}.`
      : 'Aucune position choisie : choisissez une adresse proposée ou placez le repère sur la carte.';
  };
  const mini = new MiniMap({
    container: mapEl,
    pins: ctx.position ? [{...ctx.position, kind: 'position', title: 'Position du lieu'}] : [],
    onMove: (lon, lat) => {
      ctx.position = {lon, lat};
      setError(posSlot, null);
      showPos();
    },
  });
  const centre = h('button', {type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm', id: 'repere-centre'}, 'Placer le repère au centre de la carte');
  centre.addEventListener('click', () => mini.pinAtCentre());
  posSlot.focus = centre;
  posSlot.group = h(
    'div',
    {class: 'formulaire__position-groupe', 'data-champ': 'position'},
    h('p', {class: 'fr-text--sm', id: 'position-aide'}, geocoder ? 'Choisissez une des adresses proposées pour placer le lieu, puis ajustez si besoin : cliquez sur la carte ou faites glisser le repère. Au clavier : déplacez la carte avec les flèches, puis « Placer le repère au centre de la carte ».' : 'Placez le lieu : cliquez sur la carte ou faites glisser le repère. Au clavier : déplacez la carte avec les flèches, puis « Placer le repère au centre de la carte ».'),
    mapEl,
    centre,
    posText,
    posSlot.error,
  );
  ctx.slots.set('latitude', posSlot);
  ctx.slots.set('longitude', posSlot);
  ctx.slots.set('position', posSlot);
  showPos();

  if (geocoder) {
    adresse.setAttribute('aria-describedby', `${adresse.getAttribute('aria-describedby') ?? ''} adresse-statut`.trim());
    let timer = 0;
    let abort: AbortController | null = null;
    const choose = (r: GeocodeResult) => {
      const label = r.label.replace(new RegExp(`\\s*${r.code_postal ?? '#'}\\s+${(r.commune ?? '#').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), '');
      adresse.value = label || r.label;
      const cp = ctx.textInputs.get('code_postal')?.input;
      const commune = ctx.textInputs.get('commune')?.input;
      if (cp && r.code_postal) cp.value = r.code_postal;
      if (commune && r.commune) commune.value = r.commune;
      if (r.code_insee) ctx.codeInsee = r.code_insee;
      ctx.position = {lon: r.centre[0], lat: r.centre[1]};
      mini.setPosition(r.centre[0], r.centre[1]);
      setError(posSlot, null);
      showPos();
      replaceChildren(list);
      status.textContent = `Adresse choisie : ${r.label}. Position placée sur la carte.`;
      adresse.focus();
    };
    adresse.addEventListener('input', () => {
      window.clearTimeout(timer);
      const q = adresse.value.trim();
      if (q.length < 4) {
        replaceChildren(list);
        return;
      }
      timer = window.setTimeout(() => {
        abort?.abort();
        abort = new AbortController();
        const extra = [ctx.textInputs.get('code_postal')?.input.value, ctx.textInputs.get('commune')?.input.value].filter(Boolean).join(' ');
        geocode(`${q} ${extra}`.trim(), 5, abort.signal)
          .then((rs) => {
            const items = rs.filter((r) => r.type !== 'municipality');
            replaceChildren(
              list,
              items.map((r) => {
                const b = h('button', {type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm'}, `Utiliser : ${r.label}`);
                b.addEventListener('click', () => choose(r));
                return h('li', {}, b);
              }),
            );
            status.textContent = items.length ? `${items.length} adresse${items.length > 1 ? 's' : ''} proposée${items.length > 1 ? 's' : ''} sous le champ.` : 'Aucune adresse trouvée : placez le repère sur la carte.';
          })
          .catch((e: unknown) => {
            if ((e as Error).name !== 'AbortError') status.textContent = "La recherche d'adresse ne répond pas : placez le repère sur la carte.";
          });
      }, 350);
    });
    adresse.closest('.fr-input-group')?.append(status, list);
  }
  sectionEl.append(posSlot.group);
}

/** The form's values as the page holds them. */
function collect(ctx: Ctx): FormValues {
  const v: FormValues = {};
  for (const [name, {input}] of ctx.textInputs) {
    if (name === 'courriel' || name === 'commentaire') continue;
    v[name] = input.value;
  }
  for (const [name, inputs] of ctx.choices) {
    if (name === 'motif') continue;
    v[name] = inputs.filter((i) => i.checked).map((i) => i.value);
  }
  if (ctx.hours) v['horaires'] = ctx.hours.value();
  if (ctx.kind !== 'signalement') {
    v['latitude'] = ctx.position ? String(Math.round(ctx.position.lat * 1e6) / 1e6) : '';
    v['longitude'] = ctx.position ? String(Math.round(ctx.position.lon * 1e6) / 1e6) : '';
    if (ctx.codeInsee) v['code_insee'] = ctx.codeInsee;
  }
  return v;
}

function clearMessages(ctx: Ctx): void {
  for (const s of new Set(ctx.slots.values())) {
    setError(s, null);
    setWarning(s, null);
  }
  replaceChildren(ctx.summary);
}

function slotOf(ctx: Ctx, champ: string): FieldSlot | undefined {
  return ctx.slots.get(champ) ?? (champ === 'position' ? ctx.slots.get('latitude') : undefined);
}

/** Shows problems next to their fields and in a summary whose links move
 * to the fields; returns the summary. */
function showProblems(ctx: Ctx, title: string, problems: FieldProblem[], kind: 'error' | 'warning'): HTMLElement {
  const items = problems.map((p) => {
    const slot = slotOf(ctx, p.champ);
    if (slot) {
      const prev = kind === 'error' ? slot.error.textContent : slot.warning.textContent;
      const text = prev ? `${prev} ${p.message}` : p.message;
      if (kind === 'error') setError(slot, text);
      else setWarning(slot, text);
    }
    const label = p.champ ? `${labelOf(p.champ)} : ` : '';
    if (!slot) return h('li', {}, `${label}${p.message}`);
    const a = h('a', {href: `#${slot.focus.id || ''}`, class: 'fr-link'}, `${label}${p.message}`);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      slot.focus.focus();
    });
    return h('li', {}, a);
  });
  const box = alertBox(kind, title, h('ul', {}, items));
  return box;
}

function clientProblems(ctx: Ctx): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [name, {field, input}] of ctx.textInputs) {
    const msg = checkField(field, input.value);
    if (msg) out.push({champ: name, message: msg});
  }
  if (ctx.kind === 'signalement') {
    const motif = ctx.choices.get('motif')?.find((i) => i.checked)?.value;
    if (!motif) out.push({champ: 'motif', message: 'Choisissez le problème constaté.'});
    else if (motif === 'autre' && !ctx.textInputs.get('commentaire')?.input.value.trim()) out.push({champ: 'commentaire', message: 'Décrivez le problème.'});
  } else {
    if (!ctx.position) out.push({champ: 'position', message: 'Placez le lieu sur la carte (ou choisissez une adresse proposée).'});
    for (const m of ctx.hours?.problems() ?? []) out.push({champ: 'horaires', message: m});
  }
  return out;
}

function body(ctx: Ctx, trap: HTMLInputElement): ProposalBody | null {
  const values = ctx.kind === 'signalement' ? {} : collect(ctx);
  const champs = ctx.kind === 'signalement' ? {} : buildChamps(values, ctx.initial, LIST_TEXT_FIELDS);
  if (ctx.kind === 'modification' && Object.keys(champs).length === 0 && !ctx.textInputs.get('commentaire')?.input.value.trim()) return null;
  const b: ProposalBody = {type: ctx.kind, champs, jeton: ctx.form.jeton, site_internet: trap.value};
  if (ctx.placeId) b.lieu = ctx.placeId;
  const comment = ctx.textInputs.get('commentaire')?.input.value.trim();
  if (comment) b.commentaire = comment;
  const mail = ctx.textInputs.get('courriel')?.input.value.trim();
  if (mail) b.courriel = mail;
  if (ctx.kind === 'signalement') b.motif = ctx.choices.get('motif')?.find((i) => i.checked)?.value ?? '';
  return b;
}

function errorMessage(e: unknown): string {
  if (e instanceof ContribError) {
    if (e.status === 429) {
      const wait = e.retryAfter ? ` Réessayez dans ${Math.max(1, Math.ceil(e.retryAfter / 60))} minute${e.retryAfter > 60 ? 's' : ''}.` : ' Réessayez plus tard.';
      return `Trop de propositions envoyées depuis votre connexion en peu de temps.${wait}`;
    }
    if (e.status === 413) return 'Votre proposition est trop volumineuse : raccourcissez les textes (présentation, commentaire) puis envoyez-la à nouveau.';
    return e.message;
  }
  return "L'envoi n'a pas abouti : vérifiez votre connexion puis réessayez.";
}

async function send(ctx: Ctx, form: HTMLFormElement, trap: HTMLInputElement, submit: HTMLButtonElement, root: HTMLElement, heading: HTMLElement): Promise<void> {
  clearMessages(ctx);
  ctx.status.textContent = '';
  const local = clientProblems(ctx);
  if (local.length) {
    replaceChildren(ctx.summary, showProblems(ctx, `${local.length} champ${local.length > 1 ? 's' : ''} à corriger`, local, 'error'));
    ctx.summary.focus();
    return;
  }
  const b = body(ctx, trap);
  if (!b) {
    replaceChildren(ctx.summary, alertBox('info', 'Aucune modification', h('p', {}, "Vous n'avez modifié aucun champ. Changez les informations à corriger, ou ajoutez un commentaire.")));
    ctx.summary.focus();
    return;
  }
  submit.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const key = JSON.stringify(b);
    if (ctx.kind !== 'signalement' && ctx.checked !== key) {
      ctx.status.textContent = 'Vérification de votre proposition…';
      const v = await verify(b);
      const errors = v.erreurs ?? [];
      const repairs = v.reparations ?? [];
      if (errors.length) {
        ctx.status.textContent = '';
        replaceChildren(ctx.summary, showProblems(ctx, `${errors.length} problème${errors.length > 1 ? 's' : ''} à corriger avant l'envoi`, errors, 'error'), repairs.length ? showProblems(ctx, 'Corrections et avertissements', repairs, 'warning') : null);
        ctx.summary.focus();
        return;
      }
      if (repairs.length) {
        // The contributor reads what the check changed, then sends.
        ctx.checked = key;
        ctx.status.textContent = '';
        replaceChildren(
          ctx.summary,
          showProblems(ctx, 'Vérifiez ces corrections et avertissements', repairs, 'warning'),
          h('p', {}, 'Si tout est juste, appuyez à nouveau sur « Envoyer la proposition ». Sinon, corrigez les champs signalés.'),
        );
        submit.textContent = 'Envoyer la proposition';
        ctx.summary.focus();
        return;
      }
    }
    // The server refuses a form sent faster than its minimum fill time.
    const wait = ctx.form.delai_min_s * 1000 - (Date.now() - ctx.loadedAt);
    if (wait > 0) await new Promise((r) => window.setTimeout(r, wait + 100));
    ctx.status.textContent = 'Envoi de votre proposition…';
    const created = await propose(b);
    const url = new URL(created.suivi, window.location.origin).href;
    const link = h('a', {href: created.suivi, class: 'fr-link', id: 'lien-suivi'}, url);
    const done = h('h2', {tabindex: -1, id: 'titre-envoye'}, 'Merci, votre proposition est enregistrée');
    replaceChildren(
      root,
      heading,
      h(
        'div',
        {class: 'fr-alert fr-alert--success fr-mb-3w', role: 'status'},
        done,
        h('p', {}, "Un modérateur va l'examiner. Gardez ce lien pour suivre son traitement (il n'est affiché qu'à vous) :"),
        h('p', {}, link),
      ),
      created.reparations?.length ? h('div', {}, h('p', {}, 'Corrections appliquées automatiquement :'), h('ul', {}, created.reparations.map((r) => h('li', {}, `${labelOf(r.champ)} : ${r.message}`)))) : null,
      h('p', {}, h('a', {href: '/carte', class: 'fr-link'}, 'Retour à la carte')),
    );
    done.focus();
  } catch (e) {
    ctx.status.textContent = '';
    if (e instanceof ContribError && e.status === 400 && e.champs.length) {
      replaceChildren(ctx.summary, showProblems(ctx, e.message || 'Votre proposition contient des erreurs', e.champs, 'error'));
    } else {
      replaceChildren(ctx.summary, alertBox('error', "La proposition n'a pas été envoyée", h('p', {}, errorMessage(e))));
    }
    ctx.summary.focus();
  } finally {
    submit.disabled = false;
    form.removeAttribute('aria-busy');
  }
}
