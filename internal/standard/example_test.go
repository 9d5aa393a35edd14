package standard

import (
	"fmt"
	"os"
	"strings"
)

// Read a spreadsheet export (semicolons, decimal commas, French dates) and
// import it: each row is accounted for, repairs are listed.
func ExampleImport() {
	in := "id;nom;commune;code_postal;adresse;latitude;longitude;telephone;date_maj\r\n" +
		"l1;Médiathèque Jean Lévy;Lille;59000;32 rue Édouard Delesalle;50,6333;3,0622;03 20 15 57 00;01/03/2024\r\n" +
		"l2;MEDIATHEQUE JEAN LEVY;LILLE;59000;32 R EDOUARD DELESALLE;50.6335;3.0622;;2024-05-10\r\n" +
		"l3;;Lille;59000;1 rue de Paris;50.63;3.06;;2024-01-01\r\n"
	src, err := Read("lieux.csv", strings.NewReader(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(src.Format, src.Schema, src.Encoding, src.Delimiter)
	res, err := Import(nil, []*Source{src}, newFakeTerritory(), Options{Region: "32"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Report.Files[0].Rows {
		fmt.Println(r.Line, r.ID, r.Status)
	}
	w := NewCSVWriter(os.Stdout)
	for i := range res.Upserts {
		if err := w.Write(&res.Upserts[i]); err != nil {
			fmt.Println(err)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// csv 1.0.2 utf-8 ;
	// 2 l1 imported
	// 3 l2 merged
	// 4 l3 rejected
	// id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,telephone,courriels,site_web,horaires,presentation_resume,presentation_detail,source,itinerance,structure_parente,date_maj,services,publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv,equipements,qualifications
	// l1,00000000000000,MEDIATHEQUE JEAN LEVY,LILLE,59000,59350,32 R EDOUARD DELESALLE,,50.6335,3.0622,,+33320155700,,,,,,,,,2024-05-10,,,,,,,,,,,,,
}
