// Numeric feature ids of the territories in the project's vector tiles,
// computed exactly as the server does (tiles.CommuneID and the tile set's
// département and EPCI ids), so that figures fetched from the API can be
// joined to the tile polygons with map.setFeatureState.

/** The levels of territory drawn by the tiles. */
export type TileLevel = 'commune' | 'epci' | 'departement';

/** Vector-tile layer of each level. */
export const SOURCE_LAYERS: Record<TileLevel, string> = {
  commune: 'communes',
  epci: 'epci',
  departement: 'departements',
};

/** The id of a commune: its INSEE code read as a number; Corsica takes its
 * old number 20 ("2A004" → 20004) and Haute-Corse adds 100000 ("2B033" →
 * 120033), as does the non-existent département 00; 0 when the code is
 * invalid (codes are upper case: "2a004" is invalid, as on the server). */
export function communeFeatureId(code: string): number {
  const c = code;
  if (!/^[0-9][0-9AB]\d{3}$/.test(c)) return 0;
  const n = Number(c.slice(2));
  const d0 = c[0]!;
  const d1 = c[1]!;
  if (d0 === '2' && d1 === 'A') return 20000 + n;
  if (d0 === '2' && d1 === 'B') return 120000 + n;
  if (d1 === 'A' || d1 === 'B' || (d0 === '2' && d1 === '0')) return 0;
  if (d0 === '0' && d1 === '0') return 100000 + n;
  return Number(d0) * 10000 + Number(d1) * 1000 + n;
}

/** The id of a département: its number, 2A → 201, 2B → 202. */
export function departementFeatureId(code: string): number {
  const c = code.toUpperCase();
  if (c === '2A') return 201;
  if (c === '2B') return 202;
  return /^\d+$/.test(c) ? Number(c) : 0;
}

/** The id of an EPCI: its SIREN read as a number. */
export function epciFeatureId(code: string): number {
  return /^\d{9}$/.test(code) ? Number(code) : 0;
}

/** The feature id of a territory of a level (0 when the code is invalid). */
export function featureId(level: TileLevel, code: string): number {
  switch (level) {
    case 'commune':
      return communeFeatureId(code);
    case 'epci':
      return epciFeatureId(code);
    case 'departement':
      return departementFeatureId(code);
  }
}
