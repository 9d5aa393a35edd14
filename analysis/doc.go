// Package analysis measures where digital-inclusion places are missing: travel
// to the nearest place, white zones, spatial accessibility (E2SFCA), what-if
// scenarios and the siting of new places, for communes, EPCI, départements,
// regions and the whole loaded territory: one region, or the national total
// (LevelNational) when the communes span several regions.
//
// # Model
//
// Demand. Each commune's population is spread over demand points inside its
// polygon. The default DemandSource, Grid, lays a regular grid of cells of at
// most CellMeters (1,000 m) over the territory — rows every CellMeters of
// latitude, columns every CellMeters of longitude measured on the row's edge
// nearest the equator, aligned on (0°, 0°) so that neighbouring communes share
// one lattice — and keeps the cells whose centre lies in the commune
// (even–odd rule, holes and multipolygons included). A commune with no cell
// centre inside gets one point inside its polygon (its centroid when inside,
// otherwise the middle of the widest horizontal chord). The commune's
// population is split evenly among its points.
//
// Where people live is better known from INSEE's gridded population (the
// Filosofi squares of 200 m, imported by cartonum import-grid, each square
// assigned to the commune holding its centre). Cells, the DemandSource over
// those squares, makes every populated square a demand point of its commune
// and scales the squares of a commune together so that they add up to its
// legal population: the grid says where, the census how many. Communes with
// no square — INSEE withholds the smallest counts (secret statistique) —
// keep the uniform spread above.
//
// Profiles. A demand point also counts its inhabitants aged 65 or more
// (Elderly: the squares' Ind_65_79 + Ind_80p) and those of poor households
// (Poor: Ind × Men_pauv / Men, the squares counting households), scaled with
// its population; points of communes without a square take the shares of
// their département's squares (of all squares when the département has
// none). Params.Profile chooses whose demand the indicators, E2SFCA ratios
// and siting gains weigh (weights.go): every inhabitant (default), the 65+,
// the poor, or Params.Mix's weighted sum of the three; Population and
// BeyondPopulation are then counts of those people. Without a gridded
// population no point counts any 65+ or poor inhabitant, and
// Model.CheckProfileData refuses the profiles that need them rather than
// answer zeros.
//
// Travel. Travel from a demand point to a site is, by default, the
// great-circle distance (sphere of radius orb.EarthRadius) times a circuity
// factor (1.3 by default: road distance ≈ 1.3 × straight line), driven at a
// constant speed (45 km/h by default), both set per request in Params. The
// Travel interface is batch-oriented — one Matrix call for many sources ×
// many destinations, with a context and an error — so that a routing engine
// (OSRM's table service) can replace crow-fly: Params.Travel, or
// Model.UseTravel for every request. A Routing asks the engine only about
// plausible pairs: each demand point's K nearest matching sites by straight
// line within CutoffKm (10 and 50 km by default); other sites are out of its
// reach. It builds one sparse matrix per site set, in calls of at most
// MaxCoordinates sources plus destinations grouping neighbouring points,
// which E2SFCA (over those pairs), the nearest site, the white zones and
// siting read. A scenario redoes only the rows within the cut-off of a
// changed site: the K nearest remaining sites plus every added site within
// the cut-off (so adding a site never lengthens a trip), asking only the
// pairs the base matrix lacks — the added sites' columns. Siting's
// candidates are the most populated uncovered point of each cell of
// Routing.SitingCellKm (5 km), asked about the uncovered points within
// ThresholdMin at Routing.TopSpeedKmh (90 km/h). A TripCache keeps the trips between requests and
// runs. When the engine fails the request fails with a *TravelError:
// crow-fly figures never stand in for road times, and every Result's Params
// name the model (TravelModel, TravelEngine, TravelK, TravelCutoffKm).
//
// Supply. Sites match a request when they offer at least one of
// Params.Services (if any are given) and belong to at least one of
// Params.Dispositifs (if any are given); values compare case-insensitively.
// Every site weighs 1 unless Site.Weight is positive.
//
// # Indicators
//
// For every demand point the model finds the nearest matching site (a 3-D
// k-d tree over unit vectors: the straight chord through the Earth orders
// sites exactly as the great-circle distance does) and its E2SFCA score
// (Luo & Qi 2009): each site j gets a ratio R_j = S_j / Σ_i P_i·W(t_ij), each
// demand point A_i = Σ_j R_j·W(t_ij), with the step weights W of Params.Bands
// (default 0–10 min 1.00, 10–20 min 0.68, 20–30 min 0.22, as in PySAL
// access; a time on a shared bound belongs to the earlier band). Access is
// A_i × 10,000: sites per 10,000 inhabitants within reach, decayed by time.
//
// Territory indicators are population-weighted over their demand points:
// mean and 90th percentile of the minutes and kilometres to the nearest site
// (the percentile is the lower weighted quantile: the smallest time within
// which at least 90% of the population lies), population beyond
// Params.ThresholdMin (the white zone) and its share, and mean Access. Sites
// counts the matching sites located in the territory: each site belongs to the
// commune whose polygon contains it, or to the nearest commune within
// MaxSnapMeters when none does (sites farther away still serve demand but are
// counted nowhere). Ranks order the territories of a level, 1 being the best
// served; equal values share a rank, and territories without population come
// last.
//
// # Scenarios
//
// Model.Compute keeps, per request, the nearest site and distance of every
// demand point, its E2SFCA score and the ratio R_j of every site. A Scenario
// adds hypothetical sites and removes existing ones by ID. In 2SFCA a site's
// ratio depends only on the population around it, so the ratios of unchanged
// sites stay valid: the scenario computes the ratios of the added sites, then
// recomputes, against the modified site set, only the demand points that a
// changed site can affect — those within the largest band of it, those
// whose nearest site was removed, and those nearer to an added site than to
// their current nearest one — and aggregates the territories again.
//
// # Siting
//
// Model.Siting solves the Maximal Covering Location Problem greedily: with the
// existing matching sites fixed, it picks one candidate at a time (a demand
// point, or a commune's anchor point) that covers the most population not yet
// within Params.ThresholdMin of a site. Coverage is a monotone submodular
// function of the chosen set, so the greedy choice of k sites covers at least
// 1 − 1/e ≈ 63% of what the best k sites would (Nemhauser, Wolsey & Fisher
// 1978), and no polynomial algorithm does better in general. Gains only shrink
// as sites are added, which lets the search re-evaluate lazily (CELF); ties go
// to the earlier candidate, so the result is the plain greedy one.
//
// # Determinism
//
// Communes are ordered by code and sites by ID; ties between equally near
// sites go to the lower ID, ties in rankings and siting to the lower code.
// The work is spread over GOMAXPROCS goroutines, but every value is computed
// by one goroutine in a fixed order, so results do not depend on the machine.
package analysis
