package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"slices"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// A changelog says what a release changed against its parent, partition by
// partition: records added, removed and changed (by record id), and the
// money totals before and after, per budget stage too, so that "the
// amended budget of Kota Bandung grew 3.9 %" is read, not computed.

// Changelog is what one release changed.
type Changelog struct {
	Release string    `json:"release"`
	Parent  string    `json:"parent,omitempty"`
	Created time.Time `json:"created"`
	Changes []Change  `json:"changes"`
}

// Change is what happened to one partition.
type Change struct {
	Dataset string `json:"dataset"`
	Region  string `json:"region"`
	Year    int    `json:"year"`
	// Added, Removed and Changed count records by id.
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
	// Before and After total the dataset's amount, in rupiah as text, and
	// in sen.
	Before    string `json:"before_total"`
	After     string `json:"after_total"`
	BeforeSen int64  `json:"before_sen"`
	AfterSen  int64  `json:"after_sen"`
	// Stages totals a budget's amount per stage, before and after.
	Stages map[string][2]string `json:"stages,omitempty"`
}

// ChangelogKey is where a release's changelog is kept.
func ChangelogKey(release string) string { return "releases/" + release + ".changes.json" }

// BuildChangelog compares a release with its parent and stores the result.
func (in *Ingester) BuildChangelog(ctx context.Context, pub *publisher.Publisher, m *publisher.Manifest) error {
	var parent *publisher.Manifest
	if m.Parent != "" {
		var err error
		if parent, err = pub.Release(ctx, m.Parent); err != nil {
			return err
		}
	}
	log := Changelog{Release: m.ID, Parent: m.Parent, Created: m.Created, Changes: []Change{}}
	old := map[string]publisher.Partition{}
	if parent != nil {
		for _, p := range parent.Partitions {
			old[p.Key()] = p
		}
	}
	for _, p := range m.Partitions {
		before, had := old[p.Key()]
		delete(old, p.Key())
		if had && before.SHA256 == p.SHA256 {
			continue
		}
		var prev *publisher.Partition
		if had {
			prev = &before
		}
		c, err := in.compare(ctx, prev, &p)
		if err != nil {
			return fmt.Errorf("changelog of %s: %w", p.Key(), err)
		}
		log.Changes = append(log.Changes, c)
	}
	for _, p := range old { // partitions the release no longer has
		c, err := in.compare(ctx, &p, nil)
		if err != nil {
			return fmt.Errorf("changelog of %s: %w", p.Key(), err)
		}
		log.Changes = append(log.Changes, c)
	}
	slices.SortFunc(log.Changes, func(a, b Change) int {
		return cmp.Or(strings.Compare(a.Dataset, b.Dataset), strings.Compare(a.Region, b.Region), cmp.Compare(a.Year, b.Year))
	})
	b, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	_, err = in.Store.Put(ctx, ChangelogKey(m.ID), bytes.NewReader(b), int64(len(b)), store.PutOptions{IfAbsent: true, ContentType: "application/json"})
	if errors.Is(err, dataset.ErrConflict) {
		return nil
	}
	return err
}

// recordDigest is what the changelog keeps of a record: enough to tell it
// changed, its amount and its stage.
type recordDigest struct {
	sum    [16]byte
	amount int64
	stage  string
}

// compare counts the changes from a to b (either may be nil).
func (in *Ingester) compare(ctx context.Context, a, b *publisher.Partition) (Change, error) {
	p := b
	if p == nil {
		p = a
	}
	s, err := dataset.Lookup(p.Dataset)
	if err != nil {
		return Change{}, err
	}
	c := Change{Dataset: p.Dataset, Region: p.Region, Year: p.Year}
	before, totalA, stagesA, err := in.digests(ctx, s, a)
	if err != nil {
		return c, err
	}
	_, totalB, stagesB, err := in.digestsInto(ctx, s, b, func(id string, d recordDigest) {
		old, ok := before[id]
		switch {
		case !ok:
			c.Added++
		case old.sum != d.sum:
			c.Changed++
		}
		delete(before, id)
	})
	if err != nil {
		return c, err
	}
	c.Removed = len(before)
	c.Before, c.After = dataset.FormatMoney(totalA), dataset.FormatMoney(totalB)
	c.BeforeSen, c.AfterSen = totalA, totalB
	if s.Index("stage") >= 0 {
		c.Stages = map[string][2]string{}
		for _, st := range s.Field("stage").Allowed {
			if stagesA[st] != 0 || stagesB[st] != 0 {
				c.Stages[st] = [2]string{dataset.FormatMoney(stagesA[st]), dataset.FormatMoney(stagesB[st])}
			}
		}
	}
	return c, nil
}

// digests reads a partition's records by id, with its totals.
func (in *Ingester) digests(ctx context.Context, s *dataset.Schema, p *publisher.Partition) (map[string]recordDigest, int64, map[string]int64, error) {
	out := map[string]recordDigest{}
	_, total, stages, err := in.digestsInto(ctx, s, p, func(id string, d recordDigest) { out[id] = d })
	return out, total, stages, err
}

func (in *Ingester) digestsInto(ctx context.Context, s *dataset.Schema, p *publisher.Partition, each func(string, recordDigest)) (int, int64, map[string]int64, error) {
	stages := map[string]int64{}
	if p == nil {
		return 0, 0, stages, nil
	}
	f, err := in.fetchTemp(ctx, p.Path)
	if err != nil {
		return 0, 0, nil, err
	}
	defer removeFile(f)
	info, err := f.Stat()
	if err != nil {
		return 0, 0, nil, err
	}
	amount, stage, id := s.Index(s.Amount), s.Index("stage"), s.Index(dataset.FieldID)
	var total int64
	n := 0
	for r, err := range ReadPartition(f, info.Size(), s) {
		if err != nil {
			return 0, 0, nil, err
		}
		n++
		h := sha256.New()
		for i := range s.Fields {
			if r[i].Valid {
				h.Write([]byte(s.Fields[i].Format(r[i])))
			} else {
				h.Write([]byte{0})
			}
			h.Write([]byte{0x1f})
		}
		var d recordDigest
		copy(d.sum[:], h.Sum(nil))
		d.amount = r[amount].Int
		total += d.amount
		if stage >= 0 {
			d.stage = r[stage].Str
			stages[d.stage] += d.amount
		}
		each(r[id].Str, d)
	}
	return n, total, stages, nil
}
