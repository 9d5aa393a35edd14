// Cartonum front end: boots the store, the router and the map page.

import './styles/app.css';
import './results/journeys.css';
import {getConfig, getTileJSON, type TileJSON} from './api.ts';
import {byId, h, replaceChildren} from './dom.ts';
import {FiltersPanel} from './filters/panel.ts';
import {pinDataURL} from './map/images.ts';
import {approxPinDataURL} from './map/approxpin.ts';
import {MapView} from './map/mapview.ts';
import {trackOrigin} from './origin.ts';
import {ResultsList} from './results/list.ts';
import {interceptLinks, routeOf, syncHistory} from './router.ts';
import {CommuneCombobox} from './search/combobox.ts';
import {locate, showMessage} from './search/geoloc.ts';
import {PlaceSheet} from './sheet/sheet.ts';
import {mountShell} from './shell.ts';
import {initialState, Store} from './store.ts';
import {decodeDash} from './dashboard/state.ts';
import {decodeState, emptyState, facetParams, RADII} from './urlstate.ts';
import {COMMUNE_LAYERS, MAP_LAYERS} from './map/style.ts';
import {startWorker} from './map/worker.ts';

function basemapURL(): string | null {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="cartonum-basemap"]');
  const raw = meta?.content.trim() ?? '';
  if (!raw) return null;
  try {
    const u = new URL(raw, window.location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The map's legend: every symbol the map can draw (pins, hollow pins of
 * approximate positions, clusters with and without France Services, the
 * position and the radius), foldable with a button (aria-expanded),
 * folded at first on phones. */
function legend(el: HTMLElement, folded: boolean): void {
  el.removeAttribute('aria-hidden');
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', 'Légende de la carte');
  const list = h(
    'ul',
    {id: 'legende-liste'},
    h('li', {}, h('img', {src: pinDataURL(false), alt: ''}), 'Lieu de médiation numérique'),
    h('li', {}, h('img', {src: pinDataURL(true), alt: ''}), 'France Services'),
    h('li', {}, h('img', {src: approxPinDataURL(), alt: ''}), 'Position approximative (centre de la commune)'),
    h('li', {}, h('span', {class: 'legende__rond'}), 'Regroupement (nombre de lieux)'),
    h('li', {}, h('span', {class: 'legende__rond legende__rond--fs'}), 'Regroupement avec France Services'),
    h('li', {}, h('span', {class: 'legende__position'}), 'Votre position'),
    h('li', {}, h('span', {class: 'legende__rayon'}), 'Rayon de recherche'),
  );
  const button = h(
    'button',
    {type: 'button', class: 'legende__bouton', 'aria-expanded': String(!folded), 'aria-controls': 'legende-liste'},
    'Légende',
  ) as HTMLButtonElement;
  list.hidden = folded;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
  });
  replaceChildren(el, button, list);
}

async function mountMapPage(store: Store): Promise<{resize: () => void}> {
  const panel = byId('panneau');
  const resultsRoot = byId('resultats');
  const geolocMessage = byId('message-geoloc');

  // Search, position and radius.
  const combobox = new CommuneCombobox({
    input: byId<HTMLInputElement>('recherche-commune'),
    listbox: byId<HTMLUListElement>('suggestions'),
    status: byId('recherche-statut'),
    onSelect: (r) => {
      showMessage(geolocMessage, '');
      const info = {code: r.code, nom: r.nom, codesPostaux: r.codesPostaux, centre: r.centre, bbox: r.bbox, lieux: 0};
      // The list fits the map to the places it lists once loaded.
      store.updateUrl({commune: r.code, autour: null, adresse: null, lieu: null}, 'push', {
        commune: info,
        origin: {lon: r.centre[0], lat: r.centre[1], label: r.nom},
      });
    },
    onSelectPlace: (p) => {
      showMessage(geolocMessage, '');
      store.updateUrl({lieu: p.id}, 'push');
    },
    onSelectAddress: (a) => {
      showMessage(geolocMessage, '');
      // The point as the shared link will hold it (encodeState rounds an
      // address to 5 decimals), so that both list the same places.
      const lon = Math.round(a.centre[0] * 1e5) / 1e5;
      const lat = Math.round(a.centre[1] * 1e5) / 1e5;
      store.updateUrl({autour: [lon, lat], adresse: a.label, commune: null, lieu: null}, 'push', {
        commune: null,
        origin: {lon, lat, label: a.label},
      });
    },
    onStreetMessage: (message) => {
      if (message) showMessage(geolocMessage, message, 'info');
      else if (geolocMessage.textContent?.startsWith('La recherche par adresse')) showMessage(geolocMessage, '');
    },
    onAddressError: (message) => {
      if (message) showMessage(geolocMessage, message, 'error');
      else if (geolocMessage.textContent?.startsWith("La recherche d'adresse")) showMessage(geolocMessage, '');
    },
  });
  const syncSearch = () => {
    const s = store.state;
    if (s.commune) combobox.setValue(s.commune.nom);
    else if (!s.url.commune && s.url.autour && s.url.adresse) combobox.setValue(s.url.adresse);
    else if (!s.url.commune) combobox.setValue('');
  };
  store.subscribe((s, prev) => {
    if (s.commune !== prev.commune || s.url.commune !== prev.url.commune || s.url.adresse !== prev.url.adresse) syncSearch();
  });
  // Address search when the server has a geocoder (asked once).
  const config = getConfig();
  void config
    .then((c) => {
      if (c.directions_url) store.update({directions: c.directions_url});
      if (!c.geocoder) {
        combobox.disableAddresses();
        return;
      }
      combobox.enableAddresses();
      const label = byId('recherche-label');
      replaceChildren(
        label,
        'Adresse, commune ou code postal',
        h('span', {class: 'fr-hint-text'}, 'Par exemple : 12 rue de la République, Amiens, 59000'),
      );
      byId('recherche').setAttribute('aria-label', "Recherche d'une adresse ou d'une commune");
      byId('suggestions').setAttribute('aria-label', 'Communes et adresses proposées');
    })
    .catch(() => {
      // Without the configuration, commune and postcode search only.
    });

  const geoButton = byId<HTMLButtonElement>('autour-de-moi');
  geoButton.addEventListener('click', async () => {
    geoButton.disabled = true;
    geoButton.setAttribute('aria-busy', 'true');
    showMessage(geolocMessage, 'Recherche de votre position…', 'info');
    const r = await locate();
    geoButton.disabled = false;
    geoButton.removeAttribute('aria-busy');
    if (!r.ok) {
      showMessage(geolocMessage, r.message, 'error');
      return;
    }
    showMessage(geolocMessage, '');
    combobox.setValue('');
    // The list centres the map on the position (above the bottom sheet on
    // phones) and fits it to the listed places once loaded.
    store.updateUrl({autour: [r.lon, r.lat], adresse: null, commune: null, lieu: null}, 'push', {
      commune: null,
      origin: {lon: r.lon, lat: r.lat, label: 'votre position'},
    });
  });

  const radius = byId<HTMLSelectElement>('rayon');
  radius.addEventListener('change', () => {
    const v = Number(radius.value);
    if ((RADII as readonly number[]).includes(v)) store.updateUrl({rayon: v}, 'push');
  });
  const syncRadius = () => (radius.value = String(store.state.url.rayon));
  store.subscribe((s, prev) => {
    if (s.url.rayon !== prev.url.rayon) syncRadius();
  });
  syncRadius();

  // Bottom sheet on phones.
  const handle = byId<HTMLButtonElement>('poignee');
  handle.addEventListener('click', () => {
    const big = !panel.classList.contains('est-agrandi');
    panel.classList.toggle('est-agrandi', big);
    handle.setAttribute('aria-expanded', String(big));
    handle.textContent = big ? 'Réduire la liste' : 'Agrandir la liste';
  });

  new FiltersPanel(store, byId('filtres'), byId<HTMLButtonElement>('bouton-filtres'));
  new PlaceSheet(store, byId('fiche'), resultsRoot);
  trackOrigin(store);
  syncSearch();
  legend(byId('legende'), window.matchMedia('(max-width: 47.99em)').matches);

  // The map, once the TileJSON of the territories and the places are known.
  const mapEl = byId('carte');
  let map: MapView | null = null;
  const list = new ResultsList({store, root: resultsRoot, viewport: () => map?.viewport() ?? null});
  let territories: TileJSON;
  let communes: TileJSON | undefined;
  let sites: TileJSON;
  try {
    // Preloaded by index.html (the default filters' sites), like the
    // worker and the configuration.
    [territories, communes, sites] = await Promise.all([
      getTileJSON(MAP_LAYERS, new URLSearchParams()),
      getTileJSON(COMMUNE_LAYERS, new URLSearchParams()),
      getTileJSON('sites', facetParams(store.state.url.filters)),
      startWorker(),
    ]);
    // The territories from a PMTiles archive when the server names one
    // (serve --pmtiles-url); the server's tiles if it cannot be read.
    const archive = await config.then((c) => c.pmtiles_url ?? null).catch(() => null);
    if (archive) {
      try {
        const tj = await (await import('./map/pmtiles.ts')).archiveTileJSON(archive);
        // One source: each archive tile holds the four layers, communes included.
        territories = {...tj, ...(territories.bounds ? {bounds: territories.bounds} : {})};
        communes = undefined;
        mapEl.dataset['tuiles'] = 'pmtiles';
      } catch (err) {
        console.warn(`Archive PMTiles illisible, tuiles du serveur : ${(err as Error).message}`);
      }
    }
  } catch (err) {
    replaceChildren(mapEl, h('div', {class: 'fr-alert fr-alert--error fr-m-2w'}, h('p', {}, `La carte n'a pas pu être chargée : ${(err as Error).message}`)));
    return {resize: () => {}};
  }
  mapEl.addEventListener('carte-chargee', () => list.refresh(), {once: true});
  const phone = window.matchMedia('(max-width: 47.99em)');
  map = new MapView({
    container: mapEl,
    store,
    territories,
    communes,
    sites,
    basemap: basemapURL(),
    padding: () => ({top: 0, left: 0, right: 0, bottom: phone.matches ? panel.offsetHeight : 0}),
  });
  const m = map;
  return {resize: () => m.map.resize()};
}

/** Whether the path is one of the contribution pages (/contribuer,
 * /propositions/<token>, /moderation), which are loaded as a chunk of
 * their own and are not part of the map's store. */
function isContribPath(path: string): boolean {
  return /^\/(contribuer|moderation|propositions\/[^/]+)\/?$/.test(path);
}

function showContribPage(): void {
  byId('page-carte').hidden = true;
  byId('page-tableau-de-bord').hidden = true;
  byId('page-contrib').hidden = false;
  for (const li of document.querySelectorAll<HTMLElement>('.fr-skiplinks [data-page]')) li.hidden = true;
  void startWorker()
    .then(() => import('./contrib/pages.ts'))
    .then((m) => m.mountContribPage())
    .catch((err: unknown) => {
      replaceChildren(byId('page-contrib-corps'), h('div', {class: 'fr-alert fr-alert--error'}, h('p', {}, `La page n'a pas pu être chargée : ${(err as Error).message}`)));
    });
}

async function main(): Promise<void> {
  void startWorker();
  if (isContribPath(window.location.pathname)) {
    showContribPage();
    return;
  }
  const route = routeOf(window.location.pathname) ?? 'carte';
  const search = window.location.search;
  const store = new Store(
    route === 'carte' ? initialState(route, decodeState(search)) : initialState(route, emptyState(), decodeDash(search)),
  );
  syncHistory(store);
  interceptLinks(store, document.body);
  window.setInterval(() => store.update((s) => ({minute: s.minute + 1})), 60_000);

  let mapPage: Promise<{resize: () => void}> | null = null;
  const showMap = () => {
    if (!mapPage) mapPage = mountMapPage(store);
    else void mapPage.then((p) => p.resize());
  };
  // The dashboard's code is loaded only when it is first shown.
  let dashboard: Promise<{resize: () => void}> | null = null;
  const showDashboard = () => {
    if (!dashboard) {
      dashboard = startWorker()
        .then(() => import('./dashboard/tableau.ts'))
        .then((mod) => mod.mountDashboard(store))
        .catch((err: unknown) => {
          dashboard = null;
          replaceChildren(byId('tdb-message'), h('div', {class: 'fr-alert fr-alert--error fr-alert--sm'}, h('p', {}, `Le tableau de bord n'a pas pu être chargé : ${(err as Error).message}`)));
          return {resize: () => {}};
        });
    } else void dashboard.then((p) => p.resize());
  };
  mountShell(
    store,
    [
      {route: 'carte', element: byId('page-carte'), heading: byId('titre-carte'), onShow: showMap},
      {route: 'tableau-de-bord', element: byId('page-tableau-de-bord'), heading: byId('titre-tableau'), onShow: showDashboard},
    ],
    byId('navigation'),
  );
}

void main();
