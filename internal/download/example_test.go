package download_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/cartonum/cartonum/internal/download"
)

// Fetch the files of Île-de-France from the official sources, with the places
// taken from a mirror instead.
func ExampleFetch() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	src := download.DefaultSources()
	src.Places = "https://mirror.example.org/lieux-mediation-numerique.csv"
	files, err := download.Fetch(ctx, download.Options{
		Region:  "11",
		Dest:    "data",
		Sources: src,
		Logger:  slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(files.Communes, files.Departements, files.EPCI, files.Places)
}
