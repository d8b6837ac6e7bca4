package publisher

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// Repair completes the live release: a publisher that died after moving
// current (kill -9, a lost machine) may have left its changelog or some
// downloads unwritten. What exists is kept; only what is missing is built,
// so calling it at every start-up and after every publish costs a few
// reads when nothing is missing.
func (p *Publisher) Repair(ctx context.Context) error {
	live, err := p.Current(ctx)
	if errors.Is(err, dataset.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("repair: %w", err)
	}
	start := time.Now()
	if err := p.Complete(ctx, live); err != nil {
		return fmt.Errorf("repair release %s: %w", live.ID, err)
	}
	p.log.Info("live release complete", "release", live.ID, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// Complete builds whatever of m's changelog and downloads is missing.
func (p *Publisher) Complete(ctx context.Context, m *Manifest) error {
	return errors.Join(p.BuildChangelog(ctx, m), p.BuildDownloads(ctx, m))
}
