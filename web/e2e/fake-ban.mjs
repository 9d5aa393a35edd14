// A fake Base Adresse Nationale API for the end-to-end tests: listens on a
// free loopback port (printed as "fake-ban listening on PORT"), answers
// GET /search/?q=…&limit=… with a fixed GeoJSON FeatureCollection for
// queries naming the « rue de la République » (Amiens), a server error for
// queries containing "panne", and an empty collection otherwise. Never
// reaches the internet.
import {createServer} from 'node:http';

const norm = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

const feature = (label, lon, lat, props) => ({
  type: 'Feature',
  geometry: {type: 'Point', coordinates: [lon, lat]},
  properties: {label, score: 0.97, type: 'housenumber', ...props},
});

const REPUBLIQUE = [
  feature('12 Rue de la République 80000 Amiens', 2.29751, 49.8922, {
    housenumber: '12', street: 'Rue de la République', citycode: '80021', postcode: '80000', city: 'Amiens',
  }),
  feature('Rue de la République 80100 Abbeville', 1.83291, 50.10574, {
    type: 'street', street: 'Rue de la République', citycode: '80001', postcode: '80100', city: 'Abbeville', score: 0.61,
  }),
];

const server = createServer((req, res) => {
  const u = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (req.method !== 'GET' || u.pathname !== '/search/') {
    res.writeHead(404, {'Content-Type': 'application/json'}).end('{"message":"not found"}');
    return;
  }
  const q = norm(u.searchParams.get('q') ?? '');
  const limit = Number(u.searchParams.get('limit') ?? 5) || 5;
  if (q.includes('panne')) {
    res.writeHead(503, {'Content-Type': 'application/json'}).end('{"message":"service indisponible"}');
    return;
  }
  const features = q.includes('republique') ? REPUBLIQUE.slice(0, limit) : [];
  res.writeHead(200, {'Content-Type': 'application/json'});
  res.end(JSON.stringify({type: 'FeatureCollection', version: 'draft', query: q, limit, features}));
});

server.listen(0, '127.0.0.1', () => {
  console.log(`fake-ban listening on ${server.address().port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
