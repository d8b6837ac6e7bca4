package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/terbuka/terbuka/publisher"
)

// cmdPrune applies a retention policy: releases outside it are removed
// with the files only they listed. Without a policy nothing is removed.
func cmdPrune(ctx context.Context, args []string) error {
	fs := newFlagSet("prune")
	var sf storageFlags
	sf.register(fs, "./data")
	keepReleases := fs.Int("keep-releases", 0, "keep at least the newest N releases (0: no limit by count)")
	keepDays := fs.Int("keep-days", 0, "keep releases younger than N days (0: no limit by age)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := errors.Join(mustBe(*keepReleases >= 0, fs, "keep-releases", "must be 0 or more"), mustBe(*keepDays >= 0, fs, "keep-days", "must be 0 or more")); err != nil {
		return exitError{2}
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "terbuka prune: takes only flags")
		return exitError{2}
	}
	if *keepReleases == 0 && *keepDays == 0 {
		fmt.Fprintln(os.Stderr, "terbuka prune: no retention given (--keep-releases, --keep-days); every release is kept")
		return nil
	}
	st, _, log, err := sf.open(ctx)
	if err != nil {
		return err
	}
	res, err := publisher.New(st, log).Prune(ctx, publisher.Retention{Releases: *keepReleases, Age: time.Duration(*keepDays) * 24 * time.Hour}, time.Now())
	if err != nil {
		return err
	}
	fmt.Printf("removed %d releases (%s) and %d files, %.1f MB\n", len(res.Releases), strings.Join(res.Releases, ", "), res.Objects, float64(res.Bytes)/1e6)
	return nil
}
