package benchmark

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/terbuka/terbuka/benchmark/anchor"
	"github.com/terbuka/terbuka/demo"
)

// lineCount is what the CSV files of a table with lines hold: its lines,
// and how many of them repeat another line's key (a line sent twice).
type lineCount struct {
	lines, repeats int64
}

// countLines counts the lines of table t (anchor.Lines) in its feeds,
// straight from the CSV files, apart from Terbuka's code: per region and
// year, since a line never spans two, the rows sharing the key without the
// stage are one line, or n lines when the key comes n times at a stage.
func countLines(t anchor.Table, feeds []demo.Feed) (lineCount, error) {
	var c lineCount
	parts := map[string][]string{}
	for _, f := range feeds {
		if f.Dataset == t.Name {
			k := fmt.Sprintf("%s/%d", f.Region, f.Year)
			parts[k] = append(parts[k], f.Path)
		}
	}
	for _, files := range parts {
		stages := map[string]map[string]int64{} // by key, then stage
		for _, path := range files {
			if err := readStages(path, t.Lines, stages); err != nil {
				return c, err
			}
		}
		for _, n := range stages {
			most := slices.Max(slices.Collect(maps.Values(n)))
			c.lines += most
			c.repeats += most - 1
		}
	}
	return c, nil
}

// readStages adds each row of the CSV file at path to stages, under its
// key without the stage and its stage.
func readStages(path string, l *anchor.Lines, stages map[string]map[string]int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("read header of %s: %w", path, err)
	}
	stage := slices.Index(header, l.Stage)
	cols := make([]int, len(l.Key))
	for i, k := range l.Key {
		cols[i] = slices.Index(header, k)
	}
	if stage < 0 || slices.Contains(cols, -1) {
		return fmt.Errorf("%s: the columns of its lines, %s and %v, are not all in its header", path, l.Stage, l.Key)
	}
	vals := make([]string, len(cols))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		for i, j := range cols {
			vals[i] = rec[j]
		}
		key := strings.Join(vals, "\x1f")
		if stages[key] == nil {
			stages[key] = map[string]int64{}
		}
		stages[key][rec[stage]]++
	}
}
