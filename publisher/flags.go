package publisher

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/redflag"
	"github.com/terbuka/terbuka/store"
)

// Datasets a package's derived columns are worked out from.
const (
	procurementDataset = "procurement"
	bidsDataset        = "procurement_bids"
	budgetDataset      = "budget"
)

// flagInputs identifies what a derived procurement partition was computed
// from: its rows, and the bids and budget of its region and year.
type flagInputs struct{ packages, bids, budget string }

// withFlags returns parts with every procurement partition whose packages,
// bids or budget differ from parent's rewritten with its derived columns:
// the budget line funding each package, its bid count and its red flags
// (package redflag). They are a property of a release, computed when it
// is published, since a region's bids and budget arrive in other feeds
// than its packages. Rewriting is deterministic and overwrites the derived
// columns, so a partition already derived from the same inputs comes out
// byte for byte as it was. done remembers the partitions computed across
// the attempts of one Publish.
func (p *Publisher) withFlags(ctx context.Context, parent *Manifest, parts []Partition, done map[flagInputs]Partition) ([]Partition, error) {
	now, before := map[string]Partition{}, map[string]Partition{}
	for _, q := range parts {
		now[q.Key()] = q
	}
	if parent != nil {
		for _, q := range parent.Partitions {
			before[q.Key()] = q
		}
	}
	type job struct {
		in           flagInputs
		part         Partition
		bids, budget *Partition
	}
	var jobs []job
	todo := map[flagInputs]bool{}
	for _, part := range parts {
		if part.Dataset != procurementDataset {
			continue
		}
		bids, hasBids := now[PartitionKey(bidsDataset, part.Region, part.Year)]
		budget, hasBudget := now[PartitionKey(budgetDataset, part.Region, part.Year)]
		oldPkgs := before[part.Key()]
		oldBids := before[PartitionKey(bidsDataset, part.Region, part.Year)]
		oldBudget := before[PartitionKey(budgetDataset, part.Region, part.Year)]
		if part.SHA256 == oldPkgs.SHA256 && bids.SHA256 == oldBids.SHA256 && budget.SHA256 == oldBudget.SHA256 {
			continue
		}
		in := flagInputs{part.SHA256, bids.SHA256, budget.SHA256}
		if _, ok := done[in]; ok || todo[in] {
			continue
		}
		todo[in] = true
		j := job{in: in, part: part}
		if hasBids {
			j.bids = &bids
		}
		if hasBudget {
			j.budget = &budget
		}
		jobs = append(jobs, j)
	}
	// Partitions are derived side by side, one per core: publishing
	// waits for them all, and each holds only its own packages.
	results := make([]Partition, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, j := range jobs {
		g.Go(func() error {
			flagged, err := p.flag(gctx, j.part, j.bids, j.budget)
			if err != nil {
				return fmt.Errorf("red flags of %s: %w", j.part.Key(), err)
			}
			results[i] = flagged
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, j := range jobs {
		done[j.in] = results[i]
	}
	out := make([]Partition, len(parts))
	for i, part := range parts {
		out[i] = part
		if part.Dataset != procurementDataset {
			continue
		}
		in := flagInputs{part.SHA256, now[PartitionKey(bidsDataset, part.Region, part.Year)].SHA256, now[PartitionKey(budgetDataset, part.Region, part.Year)].SHA256}
		if flagged, ok := done[in]; ok {
			out[i] = flagged
		}
	}
	return out, nil
}

// flag writes the procurement partition part with its derived columns
// (budget_id, bid_count, flag, flag_figures) worked out from its packages,
// bids and budget (nil when the region sent none for the year), and
// returns it.
func (p *Publisher) flag(ctx context.Context, part Partition, bids, budget *Partition) (Partition, error) {
	s, err := dataset.Lookup(procurementDataset)
	if err != nil {
		return Partition{}, err
	}
	counts, err := p.bidCounts(ctx, bids)
	if err != nil {
		return Partition{}, err
	}

	f, err := store.Fetch(ctx, p.store, part.Path, p.TempDir)
	if err != nil {
		return Partition{}, err
	}
	defer store.Discard(f)
	info, err := f.Stat()
	if err != nil {
		return Partition{}, err
	}
	// Group rules (splitting, fences, repeat winners) need every package
	// first: one pass reads what the rules need, the second writes.
	var pkgs []redflag.Package
	anyMAK := false
	for rec, err := range partition.Read(f, info.Size(), s) {
		if err != nil {
			return Partition{}, fmt.Errorf("read %s: %w", part.Path, err)
		}
		pkgs = append(pkgs, packageOf(s, rec, counts))
		anyMAK = anyMAK || rec[s.Index(dataset.FieldMAK)].Valid
	}
	findings := redflag.Check(pkgs)
	if !anyMAK {
		budget = nil // nothing to link: the budget, the largest input, is not read
	}
	lines, err := p.budgetLines(ctx, budget)
	if err != nil {
		return Partition{}, err
	}

	out, err := os.CreateTemp(p.TempDir, "terbuka-flagged-*.parquet")
	if err != nil {
		return Partition{}, fmt.Errorf("create flagged partition: %w", err)
	}
	defer store.Discard(out)
	w := partition.NewWriter(out, s)
	idx := s.Index(dataset.FieldID)
	n := 0
	for rec, err := range partition.Read(f, info.Size(), s) {
		if err != nil {
			return Partition{}, fmt.Errorf("read %s: %w", part.Path, err)
		}
		pkg := pkgs[n]
		n++
		if pkg.ID != rec[idx].Str {
			return Partition{}, fmt.Errorf("read %s: record %d changed between passes", part.Path, n)
		}
		setFlags(s, rec, pkg, findings[pkg.ID])
		lines.link(s, rec)
		if err := w.Write(rec); err != nil {
			return Partition{}, err
		}
	}
	if err := w.Close(); err != nil {
		return Partition{}, err
	}
	sum, size, err := hashFile(out)
	if err != nil {
		return Partition{}, err
	}
	flagged := part
	flagged.SHA256, flagged.Bytes, flagged.Rows = sum, size, int64(n)
	flagged.Path = DataPath(part.Dataset, part.Region, part.Year, sum)
	flagged.SchemaVersion = dataset.SchemaVersion
	if flagged.SHA256 != part.SHA256 {
		flagged.Published = p.now()
	}
	if err := p.putContent(ctx, flagged.Path, out.Name()); err != nil {
		return Partition{}, err
	}
	p.log.Info("procurement derived", "partition", part.Key(), "packages", n, "flagged", len(findings), "budget_lines", len(lines.byCode)+len(lines.byName) > 0, "key", flagged.Path)
	return flagged, nil
}

// tenderBids is what a participants feed says of one tender.
type tenderBids struct {
	participants, bids int64
}

// bidCounts reads a participants partition: per tender id, how many took
// part and how many submitted a bid (a participant with a bid value).
func (p *Publisher) bidCounts(ctx context.Context, bids *Partition) (map[string]tenderBids, error) {
	out := map[string]tenderBids{}
	if bids == nil {
		return out, nil
	}
	s, err := dataset.Lookup(bidsDataset)
	if err != nil {
		return nil, err
	}
	f, err := store.Fetch(ctx, p.store, bids.Path, p.TempDir)
	if err != nil {
		return nil, err
	}
	defer store.Discard(f)
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	for rec, err := range partition.Read(f, info.Size(), s) {
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", bids.Path, err)
		}
		tallyBid(s, out, rec)
	}
	return out, nil
}

// tallyBid counts one procurement_bids record in its tender's tally.
func tallyBid(s *dataset.Schema, tally map[string]tenderBids, rec dataset.Record) {
	tender := rec[s.Index("tender_id")].Str
	t := tally[tender]
	if rec[s.Index("participant_id")].Valid || rec[s.Index("supplier_name")].Valid {
		t.participants++
	}
	if rec[s.Index("bid_value")].Valid {
		t.bids++
	}
	tally[tender] = t
}

// RedFlags returns the flags publishing gives each of one region-year's
// procurement records, by position, with bids that region-year's
// procurement_bids records (none: nil). It is what a release computes,
// for checks of data that is not published (the demo's feeds).
func RedFlags(packages, bids []dataset.Record) [][]redflag.Finding {
	ps, _ := dataset.Lookup(procurementDataset)
	bs, _ := dataset.Lookup(bidsDataset)
	tally := map[string]tenderBids{}
	for _, rec := range bids {
		tallyBid(bs, tally, rec)
	}
	pkgs := make([]redflag.Package, len(packages))
	for i, rec := range packages {
		pkgs[i] = packageOf(ps, rec, tally)
		pkgs[i].ID = strconv.Itoa(i) // unique within the feed, ids or not
	}
	found := redflag.Check(pkgs)
	out := make([][]redflag.Finding, len(packages))
	for i := range pkgs {
		out[i] = found[pkgs[i].ID]
	}
	return out
}

// packageOf is what the red-flag rules read of a procurement record.
func packageOf(s *dataset.Schema, rec dataset.Record, bids map[string]tenderBids) redflag.Package {
	get := func(name string) dataset.Value { return rec[s.Index(name)] }
	pkg := redflag.Package{
		ID:       get(dataset.FieldID).Str,
		Agency:   agencyKey(get("agency_name").Str),
		Year:     int(get(dataset.FieldFiscalYear).Int),
		Method:   get("method").Str,
		Category: get("category").Str,
		Ceiling:  get("budget_ceiling").Int,
		HPS:      get("owner_estimate").Int,
		Contract: get("contract_value").Int,
		Supplier: supplierKey(get("supplier_tax_id"), get("supplier_name")),
	}
	if t := get("tender_id"); t.Valid {
		b := bids[t.Str]
		if b.bids > 0 {
			pkg.Bidders, pkg.HasBidders = int(b.bids), true
		}
		pkg.Participants = int(b.participants)
	}
	if n := get("bidder_count"); !pkg.HasBidders && n.Valid && n.Int == 1 {
		// One participant can have made one bid at most.
		pkg.Bidders, pkg.HasBidders = 1, true
	}
	if v := get("announced_at"); v.Valid {
		pkg.Announced = time.UnixMilli(v.Int).In(dataset.WIB)
	}
	if v := get("awarded_at"); v.Valid {
		d := time.Unix(v.Int*86400, 0).UTC()
		pkg.Awarded = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, dataset.WIB)
	}
	return pkg
}

// supplierKey identifies a winning supplier: its company NPWP (digits
// only), else its name in lower case with single spaces; "" when there is
// no winner.
func supplierKey(taxID, name dataset.Value) string {
	if id := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, taxID.Str); len(id) >= 15 {
		return "npwp:" + id
	}
	if n := strings.ToLower(strings.Join(strings.Fields(name.Str), " ")); n != "" {
		return "name:" + n
	}
	return ""
}

// setFlags writes a package's derived columns: its bid count, its flags
// and the figures behind them as a JSON object.
func setFlags(s *dataset.Schema, rec dataset.Record, pkg redflag.Package, findings []redflag.Finding) {
	bids, flags, figures := dataset.Value{}, dataset.Value{}, dataset.Value{}
	if pkg.HasBidders {
		bids = dataset.IntValue(int64(pkg.Bidders))
	}
	if len(findings) > 0 {
		names := make([]string, len(findings))
		why := make(map[string]map[string]int64, len(findings))
		for i, f := range findings {
			names[i] = string(f.Flag)
			why[string(f.Flag)] = f.Why
		}
		// Maps marshal with sorted keys: the same flags give the same bytes.
		b, _ := json.Marshal(why)
		flags, figures = dataset.StringValue(strings.Join(names, ",")), dataset.StringValue(string(b))
	}
	rec[s.Index(dataset.FieldBidCount)] = bids
	rec[s.Index(dataset.FieldFlag)] = flags
	rec[s.Index(dataset.FieldFlagFigures)] = figures
}

// putContent uploads a content-addressed file: a key that exists holds
// these bytes already. An old copy is written again so that Prune, which
// spares recent objects, cannot remove it before the release listing it
// is live (as the pipeline does for the partitions it writes).
func (p *Publisher) putContent(ctx context.Context, key, file string) error {
	_, err := p.store.PutFile(ctx, key, file, store.PutOptions{IfAbsent: true})
	if errors.Is(err, dataset.ErrConflict) {
		var o store.Object
		if o, err = p.store.Stat(ctx, key); err == nil && time.Since(o.Modified) > PruneGrace/2 {
			_, err = p.store.PutFile(ctx, key, file, store.PutOptions{})
		}
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}

// hashFile returns the SHA-256 and size of a file written from the start.
func hashFile(f *os.File) (string, int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("rewind %s: %w", f.Name(), err)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", f.Name(), err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
