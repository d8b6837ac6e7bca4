package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/demo"
)

func cmdGenerate(ctx context.Context, args []string) error {
	fs := newFlagSet("generate")
	out := fs.String("out", env("out", ""), "directory to write feeds into (required)")
	regions := fs.Int("regions", 30, "number of regencies/cities")
	provinces := fs.Int("provinces", 0, "number of provincial governments, Jawa Barat first (0: none, as before)")
	years := fs.String("years", "2023,2024", "fiscal years, comma-separated")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same files")
	scale := fs.Float64("scale", 1, "multiplies the number of rows per feed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(os.Stderr, "terbuka generate: --out DIR is required")
		return exitError{2}
	}
	ys, err := parseYears(*years)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	feeds, err := demo.Generate(ctx, *out, demo.Options{Regions: *regions, Provinces: *provinces, Years: ys, Seed: *seed, Scale: *scale})
	if err != nil {
		return err
	}
	rows := 0
	for _, f := range feeds {
		rows += f.Rows
	}
	fmt.Printf("wrote %d feeds, %d rows, to %s in %s\n", len(feeds), rows, *out, time.Since(start).Round(time.Millisecond))
	return nil
}

func parseYears(s string) ([]int, error) {
	var ys []int
	for _, p := range strings.Split(s, ",") {
		y, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || y < 2000 || y > 2100 {
			return nil, fmt.Errorf("--years: %q is not a year", p)
		}
		ys = append(ys, y)
	}
	return ys, nil
}
