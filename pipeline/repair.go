package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
)

// Repair completes the live release: a publisher that died after moving
// current (kill -9, a lost machine) may have left its changelog or some
// downloads unwritten. What exists is kept; only what is missing is built,
// so calling it at every start-up and after every publish costs a few
// reads when nothing is missing.
func (in *Ingester) Repair(ctx context.Context, pub *publisher.Publisher) error {
	live, err := pub.Current(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("repair: %w", err)
	}
	start := time.Now()
	if err := in.complete(ctx, pub, live); err != nil {
		return fmt.Errorf("repair release %s: %w", live.ID, err)
	}
	in.Log.Info("live release complete", "release", live.ID, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// complete builds whatever of m's changelog and downloads is missing.
func (in *Ingester) complete(ctx context.Context, pub *publisher.Publisher, m *publisher.Manifest) error {
	return errors.Join(pub.BuildChangelog(ctx, m), in.BuildDownloads(ctx, m))
}
