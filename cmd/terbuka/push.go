package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/intake"
	"github.com/terbuka/terbuka/pipeline"
)

// cmdValidate checks a feed as a push would, without storing or publishing
// anything, so a region can fix its file before it sends it.
func cmdValidate(ctx context.Context, args []string) error {
	fs := newFlagSet("validate")
	ds := fs.String("dataset", "", strings.Join(dataset.Names(), ", ")+" (default: from the file name)")
	region := fs.String("region", env("region", ""), "region code the feed is for (default: from the file name)")
	year := fs.Int("year", 0, "fiscal year (default: from the file name)")
	encoding := fs.String("encoding", "", "utf-8 or windows-1252 (default: detected)")
	sheet := fs.String("sheet", "", "worksheet of an Excel file (default: the first)")
	stage := fs.String("stage", "", "budget and budget_accounts only: the one stage the file holds (murni, pergeseran, perubahan, realisasi)")
	withdraw := fs.Bool("withdraw", false, "check FILE as a withdrawal: a header and no rows")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: terbuka validate --dataset D --region R --year Y FILE")
		return exitError{2}
	}
	meta, err := pipeline.MetaFromName(fs.Arg(0))
	if *ds != "" || *region != "" || *year != 0 {
		meta, err = intake.Meta{Dataset: *ds, Region: *region, Year: *year}, nil
		if *ds == "" || *region == "" || *year == 0 {
			err = fmt.Errorf("--dataset, --region and --year go together: %w", dataset.ErrInvalid)
		}
	}
	if err != nil {
		return err
	}
	meta.File, meta.Source, meta.Encoding, meta.Sheet, meta.Stage, meta.Withdraw = filepath.Base(fs.Arg(0)), "cli", *encoding, *sheet, *stage, *withdraw
	rep := &intake.Report{Dataset: meta.Dataset, Region: meta.Region, Year: meta.Year, File: meta.File, Source: meta.Source,
		Errors: []intake.Problem{}, Warnings: []intake.Problem{}}
	if err := intake.ValidateFile(ctx, fs.Arg(0), meta, dataset.LoadRegions(), rep, func(dataset.Record) error { return nil }); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if rep.OK() {
		fmt.Printf("%s: valid, %d rows, %d warnings\n", meta.File, rep.Rows, rep.WarningCount)
		if rep.WarningCount > 0 {
			printTable(os.Stdout, rep.Warnings, rep.WarningCount)
		}
	} else {
		printProblems(os.Stdout, rep)
	}
	if !rep.OK() {
		return exitError{1}
	}
	return nil
}

// cmdPush sends a feed to a portal's push API with the region's token.
func cmdPush(ctx context.Context, args []string) error {
	fs := newFlagSet("push")
	base := fs.String("url", env("url", "http://localhost:8080"), "the portal's address")
	tok := fs.String("token", env("token", ""), "the region's token (better: TERBUKA_TOKEN)")
	ds := fs.String("dataset", "", strings.Join(dataset.Names(), ", "))
	year := fs.Int("year", 0, "fiscal year")
	encoding := fs.String("encoding", "", "utf-8 or windows-1252 (default: detected by the portal)")
	sheet := fs.String("sheet", "", "worksheet of an Excel file (default: the first)")
	stage := fs.String("stage", "", "budget and budget_accounts only: replace this stage's rows and keep the others (murni, pergeseran, perubahan, realisasi)")
	withdraw := fs.Bool("withdraw", false, "take the partition (or, with --stage, that stage) out of the portal: FILE must have a header and no rows")
	confirmShrink := fs.Bool("confirm-shrink", false, "publish FILE even when it removes more than half of the rows it replaces")
	dryRun := fs.Bool("dry-run", false, "only check FILE on the portal, against what it has published, and print the report; publish nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *ds == "" || *year == 0 || *tok == "" {
		fmt.Fprintln(os.Stderr, "usage: TERBUKA_TOKEN=… terbuka push --url URL --dataset D --year Y FILE")
		return exitError{2}
	}
	fh, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer fh.Close()
	info, err := fh.Stat()
	if err != nil {
		return err
	}
	q := url.Values{"dataset": {*ds}, "year": {strconv.Itoa(*year)}}
	if *encoding != "" {
		q.Set("encoding", *encoding)
	}
	if *sheet != "" {
		q.Set("sheet", *sheet)
	}
	if *stage != "" {
		q.Set("stage", *stage)
	}
	if *withdraw {
		q.Set("withdraw", "1")
	}
	if *confirmShrink {
		q.Set("confirm_shrink", "1")
	}
	if *dryRun {
		q.Set("dry_run", "1")
	}
	body := &progressReader{r: fh, total: info.Size()}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(*base, "/")+"/api/v1/feeds?"+q.Encode(), body)
	if err != nil {
		return err
	}
	req.ContentLength = info.Size()
	req.Header.Set("Authorization", "Bearer "+*tok)
	req.Header.Set("Content-Type", "text/csv")
	if head := make([]byte, 4); readAtStart(fh, head) && string(head) == "PK\x03\x04" {
		req.Header.Set("Content-Type", xlsxType)
	}
	req.Header.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(fs.Arg(0))}))
	stop := body.report(os.Stderr, info.Size() >= 10<<20)
	resp, err := http.DefaultClient.Do(req)
	stop()
	if err != nil {
		return fmt.Errorf("push: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("push: read answer: %w", err)
	}
	var rep intake.Report
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusUnprocessableEntity:
		if err := json.Unmarshal(b, &rep); err != nil {
			return fmt.Errorf("push: the portal answered %s with %q", resp.Status, b)
		}
	}
	switch resp.StatusCode {
	case http.StatusOK:
		fmt.Printf("feed %s checked: %d rows, no errors, %d warnings; nothing was published (--dry-run); the report: %s/feeds/%s\n",
			rep.FeedID, rep.Rows, rep.WarningCount, strings.TrimSuffix(*base, "/"), rep.FeedID)
		return nil
	case http.StatusCreated:
		fmt.Printf("feed %s %s: %d rows, release %s\n", rep.FeedID, rep.Status, rep.Rows, rep.Release)
		return nil
	case http.StatusAccepted:
		fmt.Printf("feed %s received and being processed; its report: %s/feeds/%s\n", rep.FeedID, strings.TrimSuffix(*base, "/"), rep.FeedID)
		return nil
	case http.StatusUnprocessableEntity:
		printProblems(os.Stdout, &rep)
		fmt.Printf("the report: %s/feeds/%s\n", strings.TrimSuffix(*base, "/"), rep.FeedID)
		return exitError{1}
	}
	var e struct {
		Error struct {
			Message   string `json:"message"`
			MessageEN string `json:"message_en"`
		} `json:"error"`
	}
	msg := strings.TrimSpace(string(b))
	if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
		msg = e.Error.Message + " / " + e.Error.MessageEN
	}
	fmt.Fprintf(os.Stderr, "push refused (%s): %s\n", resp.Status, msg)
	return exitError{1}
}

// readAtStart fills b from the start of f.
func readAtStart(f *os.File, b []byte) bool {
	n, _ := f.ReadAt(b, 0)
	return n == len(b)
}

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// printProblems prints a rejected feed's errors as a table a clerk can
// work through.
func printProblems(w io.Writer, rep *intake.Report) {
	fmt.Fprintf(w, "%s: %d errors, %d warnings; nothing was published\n", cmpStr(rep.File, rep.FeedID), rep.ErrorCount, rep.WarningCount)
	printReportTable(w, rep)
}

func cmpStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// progressReader counts what has been read of a file being sent.
type progressReader struct {
	r     io.Reader
	total int64
	done  atomic.Int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done.Add(int64(n))
	return n, err
}

// report prints the share sent every second while on; stop ends it.
func (p *progressReader) report(w io.Writer, on bool) (stop func()) {
	if !on {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-quit:
				fmt.Fprintf(w, "\rsent %d of %d MB (100%%); waiting for the portal…\n", p.total>>20, p.total>>20)
				return
			case <-t.C:
				d := p.done.Load()
				fmt.Fprintf(w, "\rsent %d of %d MB (%d%%)", d>>20, p.total>>20, d*100/max(p.total, 1))
			}
		}
	}()
	return func() { close(quit); <-finished }
}
