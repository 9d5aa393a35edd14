package httpapi

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

type priorityAnswer struct {
	Level         string  `json:"level"`
	FragilityMean float64 `json:"fragility_mean"`
	Communes      int     `json:"fragility_communes"`
	Total         int     `json:"total"`
	Params        struct {
		ThresholdMin    float64 `json:"threshold_min"`
		WeightFragility bool    `json:"weight_fragility"`
	} `json:"params"`
	Items []struct {
		Rank      int     `json:"rank"`
		Code      string  `json:"code"`
		Beyond    float64 `json:"beyond_population"`
		Fragility float64 `json:"fragility"`
		Factor    float64 `json:"factor"`
		Weighted  float64 `json:"weighted_beyond"`
	} `json:"items"`
}

func getPriorities(t *testing.T, u string) priorityAnswer {
	t.Helper()
	_, _, body := get(t, u)
	var a priorityAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// TestPriorities: Amiens (130,000 inhabitants, score 2) and Abbeville
// (23,000, score 6): the region's mean score is (2·130000 + 6·23000) /
// 153000 = 2.6013, so Abbeville's people beyond the threshold weigh
// 6 / 2.6013 = 2.307 and Amiens' 0.769; every row shows its inputs.
func TestPriorities(t *testing.T) {
	d := fixtureData()
	d.Communes[0].Fragility, d.Communes[1].Fragility = 2, 6
	url := serverOf(t, d)
	mean := (2*130000 + 6*23000) / 153000.0

	a := getPriorities(t, url+"/api/priorites?niveau=commune&seuil=1")
	if a.Level != "commune" || a.Total != 2 || len(a.Items) != 2 || a.Params.ThresholdMin != 1 || a.Params.WeightFragility ||
		a.Communes != 2 || !closeTo(a.FragilityMean, mean) {
		t.Fatalf("answer %+v", a)
	}
	sum := 0.0
	for i, it := range a.Items {
		want := map[string]float64{"80021": 2, "80001": 6}[it.Code]
		if it.Rank != i+1 || it.Fragility != want || !closeTo(it.Factor, want/mean) || !closeTo(it.Weighted, it.Beyond*it.Factor) || it.Beyond <= 0 {
			t.Errorf("row %+v, want score %v and factor %v", it, want, want/mean)
		}
		if i > 0 && it.Weighted > a.Items[i-1].Weighted {
			t.Errorf("row %d weighs more than row %d", i+1, i)
		}
		sum += it.Weighted
	}

	// The EPCI holds both: its weighted value is their sum, its factor
	// that over its people beyond.
	e := getPriorities(t, url+"/api/priorites?niveau=epci&threshold_min=1")
	if len(e.Items) != 1 || !closeTo(e.Items[0].Weighted, sum) || !closeTo(e.Items[0].Factor, sum/e.Items[0].Beyond) {
		t.Errorf("EPCI %+v, want weighted %v", e.Items, sum)
	}

	// fragilite=1 on the indicators gives the same weighted people beyond.
	_, _, body := get(t, url+"/api/indicators?level=region&threshold_min=1&fragilite=1")
	var ind struct {
		Params struct {
			WeightFragility bool `json:"weight_fragility"`
		} `json:"params"`
		Items []struct {
			Beyond    float64 `json:"beyond_population"`
			Fragility float64 `json:"fragility"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &ind); err != nil {
		t.Fatal(err)
	}
	if !ind.Params.WeightFragility || len(ind.Items) != 1 || !closeTo(ind.Items[0].Beyond, sum) || !closeTo(ind.Items[0].Fragility, mean) {
		t.Errorf("indicators with fragilite=1: %s", body)
	}

	if l := getPriorities(t, url+"/api/priorites?niveau=commune&seuil=1&limit=1"); len(l.Items) != 1 || l.Total != 2 || l.Items[0].Code != a.Items[0].Code {
		t.Errorf("limit=1: %+v", l)
	}

	ct, cd, csv := get(t, url+"/api/priorites?niveau=commune&seuil=30&format=csv")
	if !strings.HasPrefix(ct, "text/csv") || !strings.Contains(cd, `filename="priorites-commune-30min-`) {
		t.Errorf("CSV export: %s, %s", ct, cd)
	}
	if !strings.HasPrefix(string(csv), "rang,niveau,code,nom,population,population_au_dela_seuil,fragilite,part_population_avec_score,facteur_fragilite,population_au_dela_ponderee,") {
		t.Errorf("CSV header: %.200s", csv)
	}

	for _, q := range []string{"niveau=region", "seuil=0", "seuil=abc", "seuil=20&threshold_min=30", "fragilite=2", "limit=0", "format=pdf", "ordre=1"} {
		resp, body := do(t, "GET", url+"/api/priorites?"+q, nil, nil)
		if resp.StatusCode != 400 {
			t.Errorf("%s: status %d %s, want 400", q, resp.StatusCode, body)
		}
	}
	if resp, body := do(t, "GET", url+"/api/indicators?fragilite=peut-etre", nil, nil); resp.StatusCode != 400 || !strings.Contains(errorMessage(t, resp, body), "fragilite") {
		t.Errorf("indicators with fragilite=peut-etre: %d %s", resp.StatusCode, body)
	}
}
