package analysis

import "math"

// Field is one figure of Indicators, declared once for every rendering:
// the JSON of the API (the struct tag of Indicators), the indicators CSV,
// the attributes of the communes and EPCI tiles, and the web app's labels.
// A rendering reads this table instead of naming the figures again.
type Field struct {
	// JSON is the figure's key in Indicators' JSON and GeoJSON properties.
	JSON string `json:"json"`
	// CSV is its column in the indicators CSV.
	CSV string `json:"csv"`
	// Tile is its attribute in the communes and EPCI tiles, empty when
	// the tiles do not carry it.
	Tile string `json:"tile,omitempty"`
	// Rank is its key in Indicators.Rank, RankCSV the column of that rank
	// in the CSV; both empty for an unranked figure.
	Rank    string `json:"rank,omitempty"`
	RankCSV string `json:"rank_csv,omitempty"`
	// LowIsBetter tells the direction of the rank: true when a lower value
	// means a better-served territory.
	LowIsBetter bool `json:"low_is_better"`
	// Label is the French label, Unit its unit ("" for a plain number).
	Label string `json:"label"`
	Unit  string `json:"unit"`
	// Digits are the decimals written in the CSV, TileDigits those kept in
	// the tiles.
	Digits     int `json:"digits"`
	TileDigits int `json:"tile_digits,omitempty"`
	// Value reads the figure.
	Value func(*Indicators) float64 `json:"-"`
}

// Fields are the figures of Indicators in the order of the CSV columns.
var Fields = []Field{
	{JSON: "population", CSV: "population", Label: "Population", Unit: "habitants", Digits: 0,
		Value: func(in *Indicators) float64 { return in.Population }},
	{JSON: "sites", CSV: "lieux", Label: "Nombre de lieux", Unit: "lieux", Digits: 0,
		Value: func(in *Indicators) float64 { return float64(in.Sites) }},
	{JSON: "sites_per_10k", CSV: "lieux_pour_10000", Tile: "lieux_pour_10000", Rank: RankSitesPer10k, RankCSV: "rang_lieux_pour_10000",
		Label: "Lieux pour 10 000 habitants", Unit: "lieux pour 10 000 habitants", Digits: 3, TileDigits: 2,
		Value: func(in *Indicators) float64 { return in.SitesPer10k }},
	{JSON: "mean_minutes", CSV: "temps_moyen_min", Tile: "temps_moyen_min", Rank: RankMeanMinutes, RankCSV: "rang_temps_moyen", LowIsBetter: true,
		Label: "Temps moyen jusqu’au lieu le plus proche", Unit: "min", Digits: 2, TileDigits: 1,
		Value: func(in *Indicators) float64 { return in.MeanMinutes }},
	{JSON: "p90_minutes", CSV: "temps_p90_min", LowIsBetter: true,
		Label: "Temps des 10 % les plus éloignés (90e centile)", Unit: "min", Digits: 2,
		Value: func(in *Indicators) float64 { return in.P90Minutes }},
	{JSON: "mean_km", CSV: "distance_moyenne_km", LowIsBetter: true,
		Label: "Distance moyenne jusqu’au lieu le plus proche", Unit: "km", Digits: 3,
		Value: func(in *Indicators) float64 { return in.MeanKm }},
	{JSON: "p90_km", CSV: "distance_p90_km", LowIsBetter: true,
		Label: "Distance des 10 % les plus éloignés (90e centile)", Unit: "km", Digits: 3,
		Value: func(in *Indicators) float64 { return in.P90Km }},
	{JSON: "beyond_population", CSV: "population_au_dela_seuil", LowIsBetter: true,
		Label: "Population au-delà du seuil (zone blanche)", Unit: "habitants", Digits: 0,
		Value: func(in *Indicators) float64 { return in.BeyondPopulation }},
	{JSON: "beyond_share", CSV: "part_au_dela_seuil", Tile: "part_zone_blanche", Rank: RankBeyondShare, RankCSV: "rang_part_au_dela_seuil", LowIsBetter: true,
		Label: "Part de la population en zone blanche", Unit: "0–1", Digits: 4, TileDigits: 3,
		Value: func(in *Indicators) float64 { return in.BeyondShare }},
	{JSON: "access", CSV: "accessibilite_e2sfca", Tile: "accessibilite", Rank: RankAccess, RankCSV: "rang_accessibilite",
		Label: "Accessibilité E2SFCA", Unit: "lieux pour 10 000 habitants à portée", Digits: 4, TileDigits: 2,
		Value: func(in *Indicators) float64 { return in.Access }},
	{JSON: "fragility", CSV: "fragilite", LowIsBetter: true,
		Label: "Indice de fragilité numérique", Unit: "score importé (plus haut : plus fragile)", Digits: 2,
		Value: func(in *Indicators) float64 {
			if in.Fragility > 0 {
				return in.Fragility
			}
			return math.NaN() // unknown: an empty cell
		}},
}
