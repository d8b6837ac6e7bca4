// Package pipeline takes feeds in: it keeps the raw bytes, validates them
// (package intake), writes valid feeds as Parquet partitions and publishes
// them as a release. Feeds arrive as files (terbuka run), from an inbox, or
// one at a time through Submit (the push API).
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/partition"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// Ingester turns feeds into validated partitions in a store.
type Ingester struct {
	Store   store.Store
	Regions *dataset.Regions
	Log     *slog.Logger
	// TempDir holds spooled feeds and Parquet files while they are written;
	// "" means the system default.
	TempDir string
	// Now, when set, is the clock feeds are stamped with on receipt (tests
	// pin it); nil means the wall clock.
	Now func() time.Time
	// Workers bounds how many feeds IngestFiles takes at once; 0 means one
	// per core.
	Workers int
	// Publisher publishes the feeds given to Submit.
	Publisher *publisher.Publisher
	// MaxSubmitted bounds the feeds Submit holds at once (spooled, waiting
	// or processed); beyond it Submit answers ErrBusy. 0 means 16.
	MaxSubmitted int
	// Published, when set, is called by Run as soon as it has published a
	// release, before it builds the release's downloads: a server wakes
	// its index follower with it.
	Published func(*publisher.Manifest)
	// Processed, when set, is called with the final report of each feed
	// Submit processes (published, unchanged, rejected or failed), once the
	// report is saved; a server counts feeds with it. A feed answered with
	// the report it already had is not processed again.
	Processed func(*intake.Report)

	submitted submissions
}

// Ingest stores the feed's raw bytes under raw/, validates it and, when it
// has no errors, writes its Parquet partition under data/. It always
// writes the feed's report under feeds/ and returns it; the partition is
// nil when the feed was rejected. The returned error is for failures of
// Terbuka itself (storage, disk), not for bad feeds.
func (in *Ingester) Ingest(ctx context.Context, body io.Reader, meta intake.Meta) (*intake.Report, *publisher.Partition, error) {
	live, err := in.liveRelease(ctx)
	if err != nil {
		return nil, nil, err
	}
	rep, acc, err := in.ingest(ctx, body, meta, live)
	if acc == nil {
		return rep, nil, err
	}
	acc.close()
	return rep, &acc.change.Partition, err
}

// accepted is a valid feed's change, with the local file a stage merge
// keeps until its release is published.
type accepted struct {
	change publisher.Change
	keep   string
}

func (a *accepted) close() {
	if a.keep != "" {
		os.Remove(a.keep)
	}
}

// ingest is Ingest, leaving the accepted change open for publishing.
// live is the release the feed is checked and merged against (nil when
// nothing is published).
func (in *Ingester) ingest(ctx context.Context, body io.Reader, meta intake.Meta, live *publisher.Manifest) (*intake.Report, *accepted, error) {
	raw, sum, n, err := in.spool(body)
	if err != nil {
		return nil, nil, err
	}
	defer store.Discard(raw)
	return in.ingestSpooled(ctx, raw, sum, n, meta, live)
}

// ingestSpooled ingests a feed spooled to raw, whose SHA-256 and size are
// known; the caller removes raw.
func (in *Ingester) ingestSpooled(ctx context.Context, raw *os.File, sum string, n int64, meta intake.Meta, live *publisher.Manifest) (*intake.Report, *accepted, error) {
	rep := in.newReport(meta, sum, n)
	// A check's bytes are not kept under raw/: raw/ holds what a region
	// sent to publish, the provenance of its data, and is never deleted.
	// A check is a draft: it publishes nothing, may hold the very personal
	// data or mistakes it was sent to find, and would stay forever. Its
	// report, masked like every report, is kept and names the bytes by
	// their SHA-256.
	if !meta.DryRun {
		rep.RawKey = path.Join("raw", safeSegment(meta.Dataset), safeSegment(meta.Region), strconv.Itoa(meta.Year), rep.FeedID+intake.Extension(raw))
		if err := in.putFile(ctx, rep.RawKey, raw.Name()); err != nil {
			return nil, nil, err
		}
	}
	acc, err := in.convert(ctx, raw, meta, rep, live)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case !rep.OK():
		rep.Status = intake.StatusRejected
	case meta.DryRun:
		rep.Status = intake.StatusChecked
	default:
		rep.Status = intake.StatusValidated
		rep.Partition = acc.change.Partition.Path
	}
	if err := in.SaveReport(ctx, rep); err != nil {
		if acc != nil {
			acc.close()
		}
		return nil, nil, err
	}
	if !rep.OK() || meta.DryRun {
		return rep, nil, nil
	}
	return rep, acc, nil
}

// FeedID identifies a feed by what it claims to be and its content, so the
// same bytes sent twice for the same partition are the same feed.
//
// What the region says of the bytes is part of the feed: the same file sent
// again as one stage, as a withdrawal, with a shrink confirmed or as a check
// only is another feed, not the earlier one's report. Plain feeds keep the
// ids they had before those options existed, and so do feeds with the
// older options and no check.
func FeedID(meta intake.Meta, contentSHA256 string) string {
	claim := meta.Dataset + "\x1f" + meta.Region + "\x1f" + strconv.Itoa(meta.Year) + "\x1f" + contentSHA256
	if meta.Stage != "" || meta.Withdraw || meta.ConfirmShrink {
		claim += fmt.Sprintf("\x1f%s\x1f%t\x1f%t", meta.Stage, meta.Withdraw, meta.ConfirmShrink)
	}
	if meta.DryRun {
		claim += "\x1fdry_run"
	}
	h := sha256.Sum256([]byte(claim))
	return hex.EncodeToString(h[:10])
}

// SaveReport writes rep to feeds/{id}.json.
func (in *Ingester) SaveReport(ctx context.Context, rep *intake.Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report %s: %w", rep.FeedID, err)
	}
	key := "feeds/" + rep.FeedID + ".json"
	if _, err := in.Store.Put(ctx, key, bytes.NewReader(b), int64(len(b)), store.PutOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("write report %s: %w", key, err)
	}
	return nil
}

// convert validates the spooled feed into a Parquet file and uploads it.
// It returns nil when the feed has errors (they are in rep), and for a
// check (meta.DryRun), which is validated and checked against the live
// partition as a real feed is, and writes nothing under data/.
func (in *Ingester) convert(ctx context.Context, raw *os.File, meta intake.Meta, rep *intake.Report, release *publisher.Manifest) (*accepted, error) {
	if _, err := raw.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind feed: %w", err)
	}
	out, err := os.CreateTemp(in.TempDir, "terbuka-part-*.parquet")
	if err != nil {
		return nil, fmt.Errorf("create partition file: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			store.Discard(out)
		}
	}()
	var pw *partition.SortedWriter
	if s, err := dataset.Lookup(meta.Dataset); err == nil {
		pw = partition.NewSortedWriter(out, s, in.TempDir)
	}
	err = intake.ValidateFile(ctx, raw.Name(), meta, in.Regions, rep, func(r dataset.Record) error { return pw.Write(r) })
	if err != nil || !rep.OK() {
		return nil, err
	}
	// No fsync here: the file is temporary, and the store syncs the copy
	// it keeps.
	if err := pw.Close(); err != nil {
		return nil, err
	}
	var live publisher.Partition
	if release != nil {
		live, _ = release.Partition(publisher.PartitionKey(meta.Dataset, meta.Region, meta.Year))
	}
	if meta.DryRun {
		return nil, in.checkOnly(ctx, meta, rep, live)
	}
	rep.Withdrawn = meta.Withdraw
	if meta.Stage == "" {
		if checkShrink(meta, live.Rows, rep.Rows, rep); !rep.OK() {
			return nil, nil
		}
		p, err := in.storePartition(ctx, meta, rep, out, pw.Rows())
		return &accepted{change: publisher.Change{Partition: p}}, err
	}
	info, err := out.Stat()
	if err != nil {
		return nil, err
	}
	merge := &stageMerge{in: in, meta: meta, rep: rep, rows: out.Name(), rowBytes: info.Size()}
	var base *publisher.Partition
	if live.Path != "" {
		base = &live
	}
	p, replaced, err := merge.build(ctx, base)
	if err != nil {
		return nil, err
	}
	if checkShrink(meta, replaced, rep.Rows, rep); !rep.OK() {
		return nil, nil
	}
	out.Close()
	keep = true
	return &accepted{change: publisher.Change{Partition: p, Base: live.SHA256, Build: merge.rebuild}, keep: out.Name()}, nil
}

// checkOnly makes the checks of a valid feed that need the live
// partition, live (zero when the slot is empty), as convert makes them for
// a real feed, without writing anything: the shrink check, against the
// partition or, for a stage feed, against the rows of its stage.
func (in *Ingester) checkOnly(ctx context.Context, meta intake.Meta, rep *intake.Report, live publisher.Partition) error {
	before := live.Rows
	if meta.Stage != "" {
		before = 0
		if live.Path != "" {
			var err error
			if before, err = in.keepOtherStages(ctx, meta, live, nil); err != nil {
				return err
			}
		}
	}
	checkShrink(meta, before, rep.Rows, rep)
	return nil
}

// storePartition hashes a written partition file and stores it under its
// content address; with no rows, the slot is withdrawn instead.
func (in *Ingester) storePartition(ctx context.Context, meta intake.Meta, rep *intake.Report, f *os.File, rows int64) (publisher.Partition, error) {
	if rows == 0 {
		return publisher.Partition{Dataset: meta.Dataset, Region: meta.Region, Year: meta.Year, Feeds: []string{rep.FeedID}}, nil
	}
	sum, size, err := hashFile(f)
	if err != nil {
		return publisher.Partition{}, err
	}
	p := publisher.Partition{Dataset: meta.Dataset, Region: meta.Region, Year: meta.Year,
		Path: publisher.DataPath(meta.Dataset, meta.Region, meta.Year, sum), Rows: rows, SHA256: sum, Bytes: size,
		SchemaVersion: dataset.SchemaVersion, Feeds: []string{rep.FeedID}, Published: in.now()}
	if err := in.putFile(ctx, p.Path, f.Name()); err != nil {
		return publisher.Partition{}, err
	}
	in.Log.Info("partition written", "dataset", meta.Dataset, "region", meta.Region, "year", meta.Year, "rows", p.Rows, "bytes", size, "key", p.Path)
	return p, nil
}

// liveRelease is the live release, nil when nothing is published yet.
func (in *Ingester) liveRelease(ctx context.Context) (*publisher.Manifest, error) {
	live, err := publisher.New(in.Store, in.Log).Current(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		return nil, nil
	}
	return live, err
}

// putFile uploads a file that is content-addressed: if the key exists it
// already holds these bytes, so a conflict is success.
//
// An old copy is written again, so its modification time is fresh and
// Prune, which spares recent objects, cannot remove it between now and the
// release that will list it.
func (in *Ingester) putFile(ctx context.Context, key, file string) error {
	_, err := in.Store.PutFile(ctx, key, file, store.PutOptions{IfAbsent: true})
	if errors.Is(err, dataset.ErrConflict) {
		var o store.Object
		if o, err = in.Store.Stat(ctx, key); err == nil && time.Since(o.Modified) > publisher.PruneGrace/2 {
			_, err = in.Store.PutFile(ctx, key, file, store.PutOptions{})
		}
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", key, err)
	}
	return nil
}

// spooled is a feed copied to local disk, with its SHA-256 and size.
type spooled struct {
	Path   string
	SHA256 string
	Bytes  int64
}

// spoolFile copies a feed to a file in TempDir while hashing it, so that a
// push is answered with its feed id before it is validated, and the body
// is never held in memory. The caller removes the file. An error reading
// body is returned as it is (for example *http.MaxBytesError).
func (in *Ingester) spoolFile(body io.Reader) (*spooled, error) {
	f, sum, n, err := in.spool(body)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return nil, fmt.Errorf("spool feed: %w", err)
	}
	return &spooled{Path: f.Name(), SHA256: sum, Bytes: n}, nil
}

// received is the report of a spooled feed that is kept but not yet
// validated.
func (in *Ingester) received(meta intake.Meta, sp *spooled) *intake.Report {
	rep := in.newReport(meta, sp.SHA256, sp.Bytes)
	rep.Status = intake.StatusReceived
	return rep
}

// newReport starts the report of a feed received now.
func (in *Ingester) newReport(meta intake.Meta, sum string, n int64) *intake.Report {
	return &intake.Report{FeedID: FeedID(meta, sum), Dataset: meta.Dataset, Region: meta.Region, Year: meta.Year, File: meta.File,
		Source: meta.Source, Received: in.now(), SHA256: sum, Bytes: n, DryRun: meta.DryRun, Errors: []intake.Problem{}, Warnings: []intake.Problem{}}
}

// intake.Report reads the report of a feed; ErrNotFound when there is none.
func (in *Ingester) Report(ctx context.Context, id string) (*intake.Report, error) {
	if len(id) != 20 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("feed id %q: %w", id, dataset.ErrNotFound)
	}
	b, err := store.ReadAll(ctx, in.Store, "feeds/"+id+".json", 256<<20)
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", id, err)
	}
	var rep intake.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("decode report %s: %w", id, err)
	}
	return &rep, nil
}

// spool copies the feed to a temporary file while hashing it, so the raw
// bytes are kept and the feed can be read twice without holding it in memory.
func (in *Ingester) spool(body io.Reader) (*os.File, string, int64, error) {
	f, err := os.CreateTemp(in.TempDir, "terbuka-feed-*")
	if err != nil {
		return nil, "", 0, fmt.Errorf("spool feed: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), body)
	if err != nil {
		store.Discard(f)
		return nil, "", 0, fmt.Errorf("spool feed: %w", err)
	}
	// No fsync: the spooled file is temporary and lost with the process
	// anyway; the raw copy the store keeps is synced.
	return f, hex.EncodeToString(h.Sum(nil)), n, nil
}

func hashFile(f *os.File) (string, int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("rewind partition file: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash partition file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func (in *Ingester) now() time.Time {
	t := time.Now()
	if in.Now != nil {
		t = in.Now()
	}
	return t.UTC()
}

// safeSegment keeps claimed names usable as key segments even when they
// are wrong (an unknown dataset or region still has its raw bytes kept).
func safeSegment(s string) string {
	if err := store.ValidKey(s); err != nil || strings.Contains(s, "/") || len(s) > 64 {
		return "_invalid"
	}
	return s
}
