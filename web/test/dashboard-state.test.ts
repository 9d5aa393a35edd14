import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  DISPOSITIFS,
  SERVICES,
  additionSupply,
  apiParams,
  decodeDash,
  THRESHOLD_PRESETS,
  emptyDash,
  encodeDash,
  priorityParams,
  scenarioBody,
  sitingParams,
  supplyParams,
} from '../src/dashboard/state.ts';

test('the default state is an empty query', () => {
  assert.equal(encodeDash(emptyDash()), '');
  assert.deepEqual(decodeDash(''), emptyDash());
  assert.equal(apiParams(emptyDash().params).toString(), '');
});

test('round trip of a full state', () => {
  const s = emptyDash();
  s.mode = 'scenario';
  s.niveau = 'commune';
  s.indicateur = 'zone_blanche';
  s.params = {seuil: 30, vitesse: 40, detour: 1.45, services: ['Aide aux démarches administratives'], dispositifs: ['France Services'], profil: '65plus', fragilite: true};
  s.territoire = '2A004';
  s.zones = true;
  s.lieux = true;
  s.view = {zoom: 9.5, lat: 50.12345, lon: 2.5};
  s.ajouts = [
    {lon: 1.83, lat: 50.667, service: 'analyse', dispositif: 'analyse'},
    {lon: 2.1, lat: 49.9, service: 'tous', dispositif: 'aucun'},
    {lon: 3, lat: 50, service: SERVICES[7]!, dispositif: DISPOSITIFS[0]!},
  ];
  s.retraits = ['a b/c&d', 'x-1'];
  s.k = 12;
  s.espacement = 5;
  s.candidats = 'communes';
  s.priorites = true;
  const q = encodeDash(s);
  assert.deepEqual(decodeDash(q), s);
  assert.equal(encodeDash(decodeDash(q)), q);
  assert.match(q, /^mode=scenario&niveau=commune&indicateur=zone_blanche&seuil=30&vitesse=40&detour=1\.45&services=Aide/);
  assert.match(q, /&profil=65plus&fragilite=1&territoire=2A004&zones=1&lieux=1&ajout=1\.83,50\.667&ajout=2\.1,49\.9,s\*,d-&ajout=3,50,s7,d0&retrait=a\+b\/c%26d&retrait=x-1&k=12&espacement=5&candidats=communes&priorites=1&vue=9\.5\/50\.12345\/2\.5$/);
});

test('invalid parts are ignored', () => {
  const s = decodeDash('niveau=pays&indicateur=x&seuil=0&vitesse=500&detour=abc&territoire=123&mode=autre&k=99&espacement=-1&candidats=x&ajout=200,10&ajout=abc&services=Inconnu&vue=30/1/1&profil=jeunes&fragilite=oui&priorites=2');
  assert.deepEqual(s, emptyDash());
  // A territory must be a code of the level.
  assert.equal(decodeDash('territoire=80021').territoire, null, 'not an EPCI');
  assert.equal(decodeDash('territoire=200018083').territoire, '200018083');
  assert.equal(decodeDash('niveau=departement&territoire=2a').territoire, '2A');
  assert.equal(decodeDash('niveau=commune&territoire=80021').territoire, '80021');
  // Unknown vocabulary indices are left to the analysis's choice.
  assert.deepEqual(decodeDash('ajout=1,2,s99,d99').ajouts, [{lon: 1, lat: 2, service: 'analyse', dispositif: 'analyse'}]);
});

test('values are kept in vocabulary order', () => {
  const a = decodeDash('dispositifs=Conseillers+num%C3%A9riques&dispositifs=France+Services');
  const b = decodeDash('dispositifs=France+Services|Conseillers+num%C3%A9riques');
  assert.deepEqual(a.params.dispositifs, ['France Services', 'Conseillers numériques']);
  assert.equal(encodeDash(a), encodeDash(b));
});

test('API parameters leave defaults out', () => {
  const s = decodeDash('seuil=30&detour=1.5&dispositifs=France+Services');
  assert.equal(apiParams(s.params).toString(), 'threshold_min=30&circuity=1.5&dispositifs=France+Services');
  assert.equal(supplyParams(s.params).toString(), 'dispositifs=France+Services');
  s.k = 3;
  s.espacement = 10;
  assert.equal(sitingParams(s).toString(), 'threshold_min=30&circuity=1.5&dispositifs=France+Services&k=3&min_spacing_km=10');
  s.candidats = 'communes';
  assert.match(sitingParams(s).toString(), /&candidates=communes$/);
});

test('hypothetical places get the analysis’s supply by default', () => {
  const p = decodeDash('services=Aide+aux+d%C3%A9marches+administratives&dispositifs=France+Services').params;
  assert.deepEqual(additionSupply({lon: 0, lat: 0, service: 'analyse', dispositif: 'analyse'}, p), {
    services: ['Aide aux démarches administratives'],
    dispositifs: ['France Services'],
  });
  assert.deepEqual(additionSupply({lon: 0, lat: 0, service: 'tous', dispositif: 'aucun'}, p), {services: [...SERVICES], dispositifs: []});
  const s = decodeDash('mode=scenario&seuil=25&ajout=1.83,50.667&retrait=abc');
  const body = scenarioBody(s) as {params: Record<string, unknown>; add: {lon: number; name: string}[]; remove: string[]; store?: boolean};
  assert.deepEqual(body.params, {threshold_min: 25, speed_kmh: 45, circuity: 1.3, services: [], dispositifs: []});
  assert.equal(body.add[0]!.lon, 1.83);
  assert.equal(body.add[0]!.name, 'Lieu hypothétique 1');
  assert.deepEqual(body.remove, ['abc']);
  assert.equal(body.store, undefined);
  assert.equal((scenarioBody(s, {store: true, title: 'Test'}) as {store: boolean}).store, true);
});

test('profile and fragility go to every analysis request; the priority view weighs once', () => {
  const s = decodeDash('niveau=commune&seuil=30&profil=pauvres&fragilite=1&mode=scenario&ajout=1.83,50.667');
  assert.deepEqual([s.params.profil, s.params.fragilite, s.params.seuil], ['pauvres', true, 30]);
  assert.equal(apiParams(s.params).toString(), 'threshold_min=30&profil=pauvres&fragilite=1');
  assert.equal(priorityParams(s, 20).toString(), 'threshold_min=30&profil=pauvres&niveau=commune&limit=20');
  const body = scenarioBody(s) as {params: Record<string, unknown>};
  assert.equal(body.params['profil'], 'pauvres');
  assert.equal(body.params['fragilite'], true);
  assert.deepEqual(THRESHOLD_PRESETS.map((p) => p.minutes), [20, 30]);
});
