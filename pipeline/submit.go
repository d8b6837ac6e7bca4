package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// submitWorkers bounds the submitted feeds processed at once: each holds a
// core and a Parquet writer's buffers.
const submitWorkers = 2

// defaultMaxSubmitted bounds the submitted feeds in the house at once
// (being spooled, waiting or processed), so a burst of pushes cannot fill
// the disk with spooled feeds.
const defaultMaxSubmitted = 16

// ErrBusy is Submit's answer when MaxSubmitted feeds are already in; the
// sender should try again later. Nothing of the feed was read.
var ErrBusy = errors.New("too many feeds being taken in; try again later")

// SubmitOptions say how Submit answers.
type SubmitOptions struct {
	// Wait is how long Submit waits for the feed to be validated and
	// published before it returns the report as received; the feed goes
	// on being processed either way.
	Wait time.Duration
	// IdempotencyKey, when set, is the sender's name for this feed (the
	// push API's Idempotency-Key, scoped to its token): the same key sent
	// again with other content is refused with an *IdempotencyConflict.
	IdempotencyKey string
}

// IdempotencyConflict is Submit's error when an idempotency key already
// names another feed.
type IdempotencyConflict struct {
	Feed string // the feed the key names
}

func (e *IdempotencyConflict) Error() string {
	return "idempotency key already used for feed " + e.Feed
}

// submissions is what Submit keeps between calls.
type submissions struct {
	once    sync.Once
	workers chan struct{}
	// admitted holds a slot for each feed in the house.
	admitted chan struct{}
	// partitions serialises the submitted feeds of one partition, from
	// validation to publication: a stage feed is merged with the live
	// partition, and a later feed published before an earlier one would
	// be overwritten by it.
	partitions sync.Map // partition key → *sync.Mutex
	// processing holds the ids of the feeds being processed here.
	processing sync.Map // feed id → true
	inflight   sync.WaitGroup
}

// Submit takes one feed in as it arrives (a push): it spools body once,
// records the feed as received and validates and publishes it in the
// background, waiting up to opt.Wait for the outcome. It returns the
// feed's report as it then stands: final, or still received. The same
// bytes sent again are the same feed, answered with what became of it.
//
// An error reading body is returned as it is (for example
// *http.MaxBytesError); other errors are Terbuka's, one wrapping
// dataset.ErrUnavailable when the store stopped answering, or syscall.ENOSPC
// when the disk was full, also while the feed was processed (its report
// then says failed, if it could be saved).
func (in *Ingester) Submit(ctx context.Context, meta intake.Meta, body io.Reader, opt SubmitOptions) (*intake.Report, error) {
	if in.Publisher == nil {
		return nil, errors.New("submit: the ingester has no publisher")
	}
	q := &in.submitted
	q.once.Do(func() {
		q.workers = make(chan struct{}, submitWorkers)
		q.admitted = make(chan struct{}, cmp.Or(in.MaxSubmitted, defaultMaxSubmitted))
	})
	select {
	case q.admitted <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	admitted := false // whether process took the slot over
	defer func() {
		if !admitted {
			<-q.admitted
		}
	}()
	sp, err := in.spoolFile(body)
	if err != nil {
		return nil, err
	}
	id := FeedID(meta, sp.SHA256)
	if err := in.claimIdempotencyKey(ctx, opt.IdempotencyKey, id); err != nil {
		os.Remove(sp.Path)
		return nil, err
	}
	// The same feed being processed here now is answered with its report
	// as it stands.
	if _, busy := q.processing.LoadOrStore(id, true); busy {
		os.Remove(sp.Path)
		if rep, err := in.Report(ctx, id); err == nil {
			return rep, nil
		}
		return in.received(meta, sp), nil
	}
	// A feed with a final report is answered with it. One still received
	// or validated is not being processed by anyone here: a server died
	// while at it, and the feed is processed again, as one that failed is.
	if rep, err := in.Report(ctx, id); err == nil && rep.Final() {
		q.processing.Delete(id)
		os.Remove(sp.Path)
		return rep, nil
	}
	received := in.received(meta, sp)
	if err := in.SaveReport(ctx, received); err != nil {
		q.processing.Delete(id)
		os.Remove(sp.Path)
		return nil, err
	}
	in.Log.Info("feed received", "feed", id, "region", meta.Region, "dataset", meta.Dataset, "year", meta.Year, "bytes", sp.Bytes, "source", meta.Source)
	done := make(chan outcome, 1)
	admitted = true
	q.inflight.Go(func() {
		defer func() { <-q.admitted }()
		rep, err := in.process(sp, meta, received)
		done <- outcome{rep, err}
	})
	timer := time.NewTimer(opt.Wait)
	defer timer.Stop()
	select {
	case o := <-done:
		// A store that stopped answering, or a full disk, is a reason to
		// send the feed again later, not a failure of Terbuka's.
		if errors.Is(o.err, dataset.ErrUnavailable) || errors.Is(o.err, syscall.ENOSPC) || errors.Is(o.err, syscall.EDQUOT) {
			return nil, fmt.Errorf("process feed %s: %w", id, o.err)
		}
		return o.rep, nil
	case <-timer.C:
	case <-ctx.Done():
	}
	return received, nil
}

// Wait waits for the submitted feeds still being processed: a server
// shutting down calls it after it stops taking requests.
func (in *Ingester) Wait() { in.submitted.inflight.Wait() }

// outcome is what processing a submitted feed ended with: its final
// report and, when it failed, why.
type outcome struct {
	rep *intake.Report
	err error
}

// process validates and publishes a submitted feed and returns its final
// report, and why it failed if it did. It outlives the submitting request.
func (in *Ingester) process(sp *spooled, meta intake.Meta, received *intake.Report) (*intake.Report, error) {
	q := &in.submitted
	defer os.Remove(sp.Path)
	defer q.processing.Delete(received.FeedID)
	q.workers <- struct{}{}
	defer func() { <-q.workers }()
	mu, _ := q.partitions.LoadOrStore(publisher.PartitionKey(meta.Dataset, meta.Region, meta.Year), &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	out, err := in.Run(ctx, in.Publisher, []FeedFile{{Path: sp.Path, Meta: meta, spooled: sp}}, nil)
	if err != nil {
		in.Log.Error("process submitted feed", "feed", received.FeedID, "err", err)
		failed := *received
		failed.Status, failed.Failure = intake.StatusFailed, "Terbuka could not take the feed in; send it again later"
		if err := in.SaveReport(ctx, &failed); err != nil {
			in.Log.Error("save report", "feed", received.FeedID, "err", err)
		}
		in.processed(&failed)
		return &failed, err
	}
	rep := out.Reports[0]
	in.Log.Info("feed processed", "feed", rep.FeedID, "status", rep.Status, "errors", rep.ErrorCount, "release", rep.Release)
	in.processed(rep)
	return rep, nil
}

func (in *Ingester) processed(rep *intake.Report) {
	if in.Processed != nil {
		in.Processed(rep)
	}
}

// claimIdempotencyKey records which feed key names; the same key with
// other content is a conflict, not a second feed.
func (in *Ingester) claimIdempotencyKey(ctx context.Context, key, id string) error {
	if key == "" {
		return nil
	}
	h := sha256.Sum256([]byte(key))
	k := "feeds/idempotency/" + hex.EncodeToString(h[:]) + ".txt"
	_, err := in.Store.Put(ctx, k, bytes.NewReader([]byte(id)), int64(len(id)), store.PutOptions{IfAbsent: true, ContentType: "text/plain"})
	if err == nil {
		return nil
	}
	if !errors.Is(err, dataset.ErrConflict) {
		return fmt.Errorf("claim idempotency key: %w", err)
	}
	prev, err := store.ReadAll(ctx, in.Store, k, 64)
	if err != nil {
		return fmt.Errorf("read idempotency key: %w", err)
	}
	if string(prev) != id {
		return &IdempotencyConflict{Feed: string(prev)}
	}
	return nil
}
