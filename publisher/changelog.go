package publisher

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/store"
)

// A changelog says what a release changed against its parent: partition by
// partition, how many records were added, removed and changed (by record
// id) and the money totals before and after, and record by record, each
// money field before and after. Totals are kept per measure and, where
// adding would mix versions of the same money, per group: a budget per
// stage (murni, perubahan and realisasi are versions of one line), revenue
// apart for annual and monthly rows, an account-level budget per stage and
// level. Nothing is added across datasets.

// Changelog is what one release changed.
type Changelog struct {
	Release string            `json:"release"`
	Parent  string            `json:"parent,omitempty"`
	Created time.Time         `json:"created"`
	Changes []PartitionChange `json:"changes"`
	// Records counts the record changes kept at RecordChangesKey.
	Records int64 `json:"records"`
}

// PartitionChange is what happened to one partition.
type PartitionChange struct {
	Dataset string `json:"dataset"`
	Region  string `json:"region"`
	Year    int    `json:"year"`
	// Added, Removed and Changed count records by id.
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
	// Withdrawn says the region took the partition out of the portal.
	Withdrawn bool `json:"withdrawn,omitempty"`
	// Totals are the partition's money before and after, per measure and
	// group.
	Totals []Total `json:"totals"`
}

// Total is one measure's sum before and after, in rupiah as decimal text.
type Total struct {
	// Measure is a money field: amount, budget_ceiling, owner_estimate,
	// contract_value, target or realized.
	Measure string `json:"measure"`
	// Group is the budget stage of a budget total, the stage and level of
	// an account-level budget's ("murni/3"), and "tahunan" (annual rows)
	// or "bulanan" (monthly rows) of a revenue total.
	Group      string `json:"group,omitempty"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Difference string `json:"difference"`
}

// Sen returns the total before and after in sen.
func (t Total) Sen() (before, after int64) {
	b, _ := dataset.ParseFormattedMoney(t.Before)
	a, _ := dataset.ParseFormattedMoney(t.After)
	return b, a
}

// RecordChange is one record a release added, removed or changed.
type RecordChange struct {
	Dataset string `json:"dataset"`
	Region  string `json:"region"`
	Year    int    `json:"year"`
	ID      string `json:"id"`
	// Change is "added", "removed" or "changed".
	Change string `json:"change"`
	// Title is the record's heading (account, package or levy name).
	Title string `json:"title,omitempty"`
	// Group is the record's budget stage (with its level for an
	// account-level budget: "murni/3"), or for revenue "tahunan" or
	// "bulanan".
	Group string `json:"group,omitempty"`
	// Money lists the money fields that differ, each before and after; an
	// added or removed record lists those it has.
	Money []MoneyChange `json:"money"`
	// Fields names the other fields of a changed record that differ.
	Fields []string `json:"fields,omitempty"`
}

// MoneyChange is one money field of a record, before and after, in rupiah
// as decimal text; "" where the record or the value is absent.
type MoneyChange struct {
	Field      string `json:"field"`
	Before     string `json:"before"`
	After      string `json:"after"`
	Difference string `json:"difference"`
}

// Record change kinds.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

// BuildChangelog compares a release with its parent and stores the result:
// the record changes first, then the summary, whose presence says both are
// complete. Both partitions of a slot are read in id order and merged, so
// memory stays bounded whatever their size. A changelog already stored is
// kept.
func (p *Publisher) BuildChangelog(ctx context.Context, m *Manifest) error {
	if _, err := p.store.Stat(ctx, ChangelogKey(m.ID)); err == nil {
		return nil
	}
	var parent *Manifest
	if m.Parent != "" {
		var err error
		if parent, err = p.read(ctx, m.Parent); err != nil {
			return err
		}
	}
	log := Changelog{Release: m.ID, Parent: m.Parent, Created: m.Created, Changes: []PartitionChange{}}
	tmp, err := os.CreateTemp(p.TempDir, "terbuka-changes-*.ndjson")
	if err != nil {
		return fmt.Errorf("create record changes file: %w", err)
	}
	defer store.Discard(tmp)
	w := bufio.NewWriterSize(tmp, 1<<16)
	enc := json.NewEncoder(w)
	emit := func(rc RecordChange) error {
		log.Records++
		return enc.Encode(rc)
	}
	for _, slot := range changedSlots(parent, m) {
		c, err := p.compare(ctx, slot[0], slot[1], emit)
		if err != nil {
			return fmt.Errorf("changelog of %s: %w", cmp.Or(slot[0], slot[1]).Key(), err)
		}
		log.Changes = append(log.Changes, c)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write record changes: %w", err)
	}
	if _, err := p.store.PutFile(ctx, RecordChangesKey(m.ID), tmp.Name(), store.PutOptions{IfAbsent: true, ContentType: "application/x-ndjson"}); err != nil && !errors.Is(err, dataset.ErrConflict) {
		return fmt.Errorf("write %s: %w", RecordChangesKey(m.ID), err)
	}
	b, err := json.MarshalIndent(log, "", "  ")
	if err != nil {
		return err
	}
	_, err = p.store.Put(ctx, ChangelogKey(m.ID), bytes.NewReader(b), int64(len(b)), store.PutOptions{IfAbsent: true, ContentType: "application/json"})
	if errors.Is(err, dataset.ErrConflict) {
		return nil
	}
	return err
}

// changedSlots pairs the partitions of each slot that differs between
// parent and m, before and after (nil where absent), in slot order.
func changedSlots(parent, m *Manifest) [][2]*Partition {
	slots := map[string]*[2]*Partition{}
	add := func(p Partition, side int) {
		s := slots[p.Key()]
		if s == nil {
			s = &[2]*Partition{}
			slots[p.Key()] = s
		}
		s[side] = &p
	}
	if parent != nil {
		for _, p := range parent.Partitions {
			add(p, 0)
		}
	}
	for _, p := range m.Partitions {
		add(p, 1)
	}
	var out [][2]*Partition
	for _, key := range slices.Sorted(maps.Keys(slots)) {
		s := slots[key]
		if s[0] != nil && s[1] != nil && s[0].SHA256 == s[1].SHA256 {
			continue
		}
		out = append(out, *s)
	}
	return out
}

// compare merges the records of a and b (either may be nil), both sorted
// by id, emitting each record change and returning the partition's counts
// and totals.
func (p *Publisher) compare(ctx context.Context, a, b *Partition, emit func(RecordChange) error) (PartitionChange, error) {
	slot := cmp.Or(b, a)
	s, err := dataset.Lookup(slot.Dataset)
	if err != nil {
		return PartitionChange{}, err
	}
	c := PartitionChange{Dataset: slot.Dataset, Region: slot.Region, Year: slot.Year, Withdrawn: b == nil}
	before, stopA, err := p.records(ctx, s, a)
	if err != nil {
		return c, err
	}
	defer stopA()
	after, stopB, err := p.records(ctx, s, b)
	if err != nil {
		return c, err
	}
	defer stopB()
	t := newTotals(s)
	id := s.Index(dataset.FieldID)
	ra, rb := before(), after()
	for ra.rec != nil || rb.rec != nil {
		if err := cmp.Or(ra.err, rb.err); err != nil {
			return c, err
		}
		var rc *RecordChange
		switch {
		case rb.rec == nil || ra.rec != nil && ra.rec[id].Str < rb.rec[id].Str:
			c.Removed++
			t.add(ra.rec, 0)
			rc = recordChange(s, ChangeRemoved, ra.rec, nil)
			ra = before()
		case ra.rec == nil || rb.rec[id].Str < ra.rec[id].Str:
			c.Added++
			t.add(rb.rec, 1)
			rc = recordChange(s, ChangeAdded, nil, rb.rec)
			rb = after()
		default:
			t.add(ra.rec, 0)
			t.add(rb.rec, 1)
			if !slices.Equal(ra.rec, rb.rec) {
				c.Changed++
				rc = recordChange(s, ChangeChanged, ra.rec, rb.rec)
			}
			ra, rb = before(), after()
		}
		if rc != nil {
			rc.Dataset, rc.Region, rc.Year = c.Dataset, c.Region, c.Year
			if err := emit(*rc); err != nil {
				return c, err
			}
		}
	}
	c.Totals = t.list()
	return c, nil
}

// pulled is the next record of a partition: nil at the end, or an error.
type pulled struct {
	rec dataset.Record
	err error
}

// records returns a function yielding a partition's records one by one, in
// id order (a nil partition has none), and a function releasing it. A
// record out of order is an error: the merge relies on the order.
func (p *Publisher) records(ctx context.Context, s *dataset.Schema, part *Partition) (func() pulled, func(), error) {
	if part == nil {
		return func() pulled { return pulled{} }, func() {}, nil
	}
	f, err := store.Fetch(ctx, p.store, part.Path, p.TempDir)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		store.Discard(f)
		return nil, nil, err
	}
	next, stop := iter.Pull2(partition.Read(f, info.Size(), s))
	id, last := s.Index(dataset.FieldID), ""
	pull := func() pulled {
		r, err, ok := next()
		switch {
		case !ok:
			return pulled{}
		case err != nil:
			return pulled{err: fmt.Errorf("read %s: %w", part.Path, err)}
		case r[id].Str < last:
			return pulled{err: fmt.Errorf("read %s: record %s comes after %s: not sorted by id: %w", part.Path, r[id].Str, last, dataset.ErrInvalid)}
		}
		last = r[id].Str
		return pulled{rec: r}
	}
	return pull, func() { stop(); store.Discard(f) }, nil
}

// recordChange describes the change from a to b (either may be nil).
func recordChange(s *dataset.Schema, kind string, a, b dataset.Record) *RecordChange {
	r := b
	if r == nil {
		r = a
	}
	rc := &RecordChange{ID: r[s.Index(dataset.FieldID)].Str, Change: kind, Title: r[s.Index(s.Title)].Str, Group: groupOf(s, r), Money: []MoneyChange{}}
	for i, f := range s.Fields {
		var va, vb dataset.Value
		if a != nil {
			va = a[i]
		}
		if b != nil {
			vb = b[i]
		}
		if f.Type != dataset.Money {
			if a != nil && b != nil && va != vb {
				rc.Fields = append(rc.Fields, f.Name)
			}
			continue
		}
		if va == vb && (kind == ChangeChanged || !va.Valid) {
			continue
		}
		mc := MoneyChange{Field: f.Name, Difference: dataset.FormatMoney(vb.Int - va.Int)}
		if va.Valid {
			mc.Before = dataset.FormatMoney(va.Int)
		}
		if vb.Valid {
			mc.After = dataset.FormatMoney(vb.Int)
		}
		rc.Money = append(rc.Money, mc)
	}
	return rc
}

// groupOf is the group a record's money is totalled in: its budget stage
// (and, for an account-level budget, whose levels are totals of one
// another, its level: "murni/3"), or whether a revenue row is annual
// (period 0) or monthly.
func groupOf(s *dataset.Schema, r dataset.Record) string {
	if i := s.Index("stage"); i >= 0 {
		if s.Hierarchy {
			return r[i].Str + "/" + strconv.FormatInt(r[s.Index(dataset.FieldAccountLevel)].Int, 10)
		}
		return r[i].Str
	}
	if i := s.Index("period"); i >= 0 {
		if r[i].Int == 0 {
			return "tahunan"
		}
		return "bulanan"
	}
	return ""
}

// moneyTotals sums each money field per group, before (side 0) and after.
type moneyTotals struct {
	s    *dataset.Schema
	sums map[[2]string]*[2]int64 // (measure, group) → before, after
}

func newTotals(s *dataset.Schema) *moneyTotals {
	return &moneyTotals{s: s, sums: map[[2]string]*[2]int64{}}
}

func (t *moneyTotals) add(r dataset.Record, side int) {
	g := groupOf(t.s, r)
	for i, f := range t.s.Fields {
		if f.Type != dataset.Money || !r[i].Valid {
			continue
		}
		k := [2]string{f.Name, g}
		if t.sums[k] == nil {
			t.sums[k] = &[2]int64{}
		}
		t.sums[k][side] += r[i].Int
	}
}

// list returns the totals in schema order, groups in the order they happen
// (stages) or by name.
func (t *moneyTotals) list() []Total {
	out := []Total{}
	order := append(append([]string{}, dataset.FindField("stage").Allowed...), "tahunan", "bulanan")
	rank := func(group string) int {
		stage, _, _ := strings.Cut(group, "/")
		return slices.Index(order, stage)
	}
	keys := slices.SortedFunc(maps.Keys(t.sums), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(t.s.Index(a[0]), t.s.Index(b[0])), cmp.Compare(rank(a[1]), rank(b[1])), strings.Compare(a[1], b[1]))
	})
	for _, k := range keys {
		v := t.sums[k]
		out = append(out, Total{Measure: k[0], Group: k[1], Before: dataset.FormatMoney(v[0]), After: dataset.FormatMoney(v[1]), Difference: dataset.FormatMoney(v[1] - v[0])})
	}
	return out
}

// Changelog returns what release id changed, partition by partition; an
// error wrapping dataset.ErrNotFound when it has none (yet).
func (p *Publisher) Changelog(ctx context.Context, id string) (*Changelog, error) {
	b, err := store.ReadAll(ctx, p.store, ChangelogKey(id), maxManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("read changelog of %s: %w", id, err)
	}
	var log Changelog
	if err := json.Unmarshal(b, &log); err != nil {
		return nil, fmt.Errorf("decode changelog of %s: %w", id, err)
	}
	return &log, nil
}

// RecordChanges yields the records release id added, removed or changed,
// in order, streamed from the store whatever their number. A release
// without them (older, or being completed) yields none.
func (p *Publisher) RecordChanges(ctx context.Context, id string) iter.Seq2[RecordChange, error] {
	return func(yield func(RecordChange, error) bool) {
		rc, _, err := p.store.Get(ctx, RecordChangesKey(id))
		if errors.Is(err, dataset.ErrNotFound) {
			return
		}
		if err != nil {
			yield(RecordChange{}, fmt.Errorf("read record changes of %s: %w", id, err))
			return
		}
		defer rc.Close()
		dec := json.NewDecoder(bufio.NewReaderSize(rc, 1<<16))
		for {
			var c RecordChange
			switch err := dec.Decode(&c); {
			case errors.Is(err, io.EOF):
				return
			case err != nil:
				yield(RecordChange{}, fmt.Errorf("read record changes of %s: %w", id, err))
				return
			}
			if !yield(c, nil) {
				return
			}
		}
	}
}
