package benchmark

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/terbuka/terbuka/store"
)

// Replica is a portal started on an empty disk against a store holding
// the release: the release copied from the run's directory store to a
// bucket on MinIO, the index the index phase built stored there as a
// snapshot by terbuka index, then terbuka serve on an empty index
// directory, timed until it serves full search.
type Replica struct {
	// Objects and Bytes are the release's objects (releases/, data/ and
	// downloads/) copied to the bucket, in CopySeconds.
	Objects     int     `json:"objects"`
	Bytes       int64   `json:"bytes"`
	CopySeconds float64 `json:"copy_seconds"`
	// Index is what terbuka index said it stored.
	Index SnapshotStored `json:"index"`
	// ReadySeconds counts from the start of terbuka serve until its
	// /healthz answered index_ready, with Documents.
	ReadySeconds float64 `json:"ready_seconds"`
	Documents    int64   `json:"documents"`
	// DownloadSeconds and DownloadBytes are the server's log's: the
	// snapshot downloaded, verified and opened once.
	DownloadSeconds float64 `json:"download_seconds"`
	DownloadBytes   int64   `json:"download_bytes"`
	// SearchTotal is the total of /api/v1/search?size=1, every document;
	// FirstSearchMS the round trip of the first typicalSearch page.
	SearchTotal   int64   `json:"search_total"`
	FirstSearchMS float64 `json:"first_search_ms"`
	// PeakRSS is the server's VmHWM just before it was stopped.
	PeakRSS int64 `json:"peak_rss_bytes,omitempty"`
}

// SnapshotStored is the summary terbuka index prints on storing a
// release's index snapshot.
type SnapshotStored struct {
	Release    string  `json:"release"`
	Key        string  `json:"key"`
	Files      int     `json:"files"`
	MB         float64 `json:"mb"`
	Pieces     int     `json:"uploaded_pieces"`
	UploadedMB float64 `json:"uploaded_mb"`
	Seconds    float64 `json:"seconds"`
}

// replicaBucket is the bucket the replica phase copies the release to.
const replicaBucket = "terbuka-bench"

// replica measures a replica's start on an empty disk against MinIO.
func (b *bench) replica(ctx context.Context) error {
	ix := b.res.Index["terbuka"]
	if ix == nil {
		return fmt.Errorf("the replica phase needs the index phase")
	}
	// A kept scratch directory may hold a run's bucket or index before.
	data, index := filepath.Join(b.work, "minio"), filepath.Join(b.work, "replica-index")
	for _, dir := range []string{data, index} {
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	b.log("minio start")
	var err error
	if b.minio, err = startMinio(ctx, b.cfg.Minio, data, filepath.Join(b.work, "minio.log")); err != nil {
		return err
	}
	defer b.stopMinio()
	r := &Replica{}
	b.res.Replica = r
	if err := b.copyRelease(ctx, r); err != nil {
		return err
	}
	if err := b.storeSnapshot(ctx, r); err != nil {
		return err
	}
	return b.startReplica(ctx, r, index, ix.Documents)
}

// copyRelease copies the release from the directory store to the bucket:
// the partitions and downloads first, then the manifests, changelogs and
// the pointer to the live release, as publishing orders them. Without its
// downloads the replica would find the release incomplete and build them
// while it starts.
func (b *bench) copyRelease(ctx context.Context, r *Replica) error {
	from, err := store.OpenDir(b.store)
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := b.minio.open(ctx, replicaBucket)
	if err != nil {
		return err
	}
	b.log("copying the release to minio")
	began := time.Now()
	for _, prefix := range []string{"data/", "downloads/", "releases/"} {
		err := from.List(ctx, prefix, func(o store.Object) error {
			rc, _, err := from.Get(ctx, o.Key)
			if err != nil {
				return err
			}
			defer rc.Close()
			if _, err := to.Put(ctx, o.Key, rc, o.Size, store.PutOptions{}); err != nil {
				return fmt.Errorf("copy %s to minio: %w", o.Key, err)
			}
			r.Objects++
			r.Bytes += o.Size
			return nil
		})
		if err != nil {
			return err
		}
	}
	r.CopySeconds = time.Since(began).Seconds()
	b.log("release copied", "objects", r.Objects, "mb", r.Bytes/1e6, "seconds", r.CopySeconds)
	return nil
}

// storeSnapshot runs terbuka index on the bucket with the index the index
// phase built: of the same partitions, it needs no sync, only uploading.
func (b *bench) storeSnapshot(ctx context.Context, r *Replica) error {
	b.log("terbuka index to minio")
	logPath := filepath.Join(b.work, "index-minio.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	args := append([]string{"index", "--index", filepath.Join(b.store, ".index"), "--temp-dir", filepath.Join(b.work, "tmp")}, b.minio.flags(replicaBucket)...)
	cmd := exec.CommandContext(ctx, b.cfg.Terbuka, args...)
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, logFile
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("terbuka index: %w (log: %s)", err, logPath)
	}
	if r.Index, err = parseSnapshotStored(stdout.String()); err != nil {
		return err
	}
	b.log("index snapshot stored", "files", r.Index.Files, "mb", r.Index.MB, "uploaded_mb", r.Index.UploadedMB, "seconds", r.Index.Seconds)
	return nil
}

// startReplica starts terbuka serve on the bucket with the empty index
// directory dir and times it until it serves search over want documents.
func (b *bench) startReplica(ctx context.Context, r *Replica, dir string, want int64) error {
	b.log("replica start")
	args := append(b.minio.flags(replicaBucket), "--index", dir, "--temp-dir", filepath.Join(b.work, "tmp"))
	p, err := launchPortal(b.cfg.Terbuka, filepath.Join(b.work, "portal-replica.log"), args...)
	if err != nil {
		return err
	}
	err = b.measureReplica(ctx, p, r, want)
	r.PeakRSS = vmHWM(p.cmd.Process.Pid)
	p.stop()
	if err != nil {
		return err
	}
	log, err := os.ReadFile(p.log.Name())
	if err != nil {
		return err
	}
	took, n, ok := parseRestoreLog(string(log))
	if !ok {
		return fmt.Errorf("the replica logged no download of the index snapshot (log: %s)", p.log.Name())
	}
	r.DownloadSeconds, r.DownloadBytes = took.Seconds(), n
	b.log("replica serves search", "ready_seconds", r.ReadySeconds, "download_seconds", r.DownloadSeconds,
		"documents", r.Documents, "first_search_ms", r.FirstSearchMS, "peak_rss_mb", r.PeakRSS>>20)
	return nil
}

// measureReplica waits for portal p's index and asks its first searches:
// every document, then typicalSearch's page.
func (b *bench) measureReplica(ctx context.Context, p *portal, r *Replica, want int64) error {
	h, err := p.waitReady(ctx)
	if err != nil {
		return err
	}
	r.ReadySeconds, r.Documents = time.Since(p.started).Seconds(), h.Documents
	b.res.check("replica documents", h.Documents == want, "the index phase's index holds %d documents, the replica's when ready %d", want, h.Documents)
	var all struct {
		Total int64 `json:"total"`
	}
	if err := getJSON(ctx, p.base+"/api/v1/search?size=1", &all); err != nil {
		return fmt.Errorf("replica: %w", err)
	}
	r.SearchTotal = all.Total
	b.res.check("replica search total", all.Total == want, "the index phase's index holds %d documents, the replica's search API counts %d", want, all.Total)
	began := time.Now()
	if status := get(ctx, p.base+typicalSearch); status != http.StatusOK {
		return fmt.Errorf("replica: %s answered %d", typicalSearch, status)
	}
	r.FirstSearchMS = float64(time.Since(began).Microseconds()) / 1000
	return nil
}

// snapshotStored matches the line terbuka index prints last, such as
// "index of release 000001 stored as index/snapshots/7.2/000001.json: 4
// files, 456.7 MB, of which 4 pieces, 456.7 MB, uploaded; in 1m32.821s".
var snapshotStored = regexp.MustCompile(`^index of release (\S+) stored as (\S+): (\d+) files?, ([\d.]+) MB, of which (\d+) pieces?, ([\d.]+) MB, uploaded; in (\S+)$`)

// parseSnapshotStored reads terbuka index's summary from its output.
func parseSnapshotStored(out string) (SnapshotStored, error) {
	ls := lines(out)
	for i := len(ls) - 1; i >= 0; i-- {
		m := snapshotStored.FindStringSubmatch(ls[i])
		if m == nil {
			continue
		}
		files, err1 := strconv.Atoi(m[3])
		mb, err2 := strconv.ParseFloat(m[4], 64)
		pieces, err3 := strconv.Atoi(m[5])
		uploaded, err4 := strconv.ParseFloat(m[6], 64)
		took, err5 := time.ParseDuration(m[7])
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return SnapshotStored{}, fmt.Errorf("terbuka index printed %q: %w", ls[i], err)
		}
		return SnapshotStored{Release: m[1], Key: m[2], Files: files, MB: mb, Pieces: pieces, UploadedMB: uploaded, Seconds: took.Seconds()}, nil
	}
	return SnapshotStored{}, fmt.Errorf("terbuka index printed no summary of the snapshot it stored: %q", out)
}

// parseRestoreLog finds in a server's log the line saying the search
// index was downloaded, and returns its took and bytes.
func parseRestoreLog(log string) (took time.Duration, bytes int64, ok bool) {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, `msg="search index downloaded"`) {
			continue
		}
		t, err1 := time.ParseDuration(logField(line, "took"))
		n, err2 := strconv.ParseInt(logField(line, "bytes"), 10, 64)
		if err1 == nil && err2 == nil {
			return t, n, true
		}
	}
	return 0, 0, false
}

// logField is the value of key in a line of slog's text format, "" when
// absent; values with spaces are quoted and not needed here.
func logField(line, key string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}

// vmHWM is the process's peak resident memory in bytes so far, 0 when
// unknown.
func vmHWM(pid int) int64 {
	kb, err := strconv.ParseInt(strings.TrimSuffix(procField(fmt.Sprintf("/proc/%d/status", pid), "VmHWM"), " kB"), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}
