package site

import (
	"compress/gzip"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/terbuka/terbuka/dataset"
	"github.com/terbuka/terbuka/publisher"
	"github.com/terbuka/terbuka/store"
)

// downloadFormats are the files of a partition, by extension. unpack
// sends a gzipped file unpacked, as spreadsheets open it.
var downloadFormats = map[string]struct {
	contentType string
	key         func(publisher.Partition) string
	unpack      bool
}{
	"parquet":   {"application/vnd.apache.parquet", func(p publisher.Partition) string { return p.Path }, false},
	"csv":       {"text/csv; charset=utf-8", publisher.DownloadCSVPath, true},
	"csv.gz":    {"application/gzip", publisher.DownloadCSVPath, false},
	"ndjson.gz": {"application/gzip", publisher.DownloadNDJSONPath, false},
	"ocds.json": {"application/json", publisher.DownloadOCDSPath, false},
	"xlsx":      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", publisher.DownloadXLSXPath, false},
}

// handleDownload serves /downloads/{release}/{dataset}/{region}/{year}.{ext}:
// one partition of one release, as built when it was published. Release
// addresses never change and are cached for good; "latest" redirects to
// the live release's address. Ranges are served, so tools such as DuckDB
// read a Parquet file's footer and the row groups they need, not all of it.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	year, ext, _ := strings.Cut(v["file"], ".")
	format, ok := downloadFormats[ext]
	y, err := strconv.Atoi(year)
	if !ok || err != nil {
		return notFound(dataset.Label{ID: "unduhan tidak ada", EN: "no such download"})
	}
	m, err := s.downloadRelease(w, r, v["dataset"]+"/"+v["region"]+"/"+v["file"])
	if m == nil || err != nil {
		return err
	}
	p, ok := m.Partition(publisher.PartitionKey(v["dataset"], v["region"], y))
	if !ok {
		return notFound(dataset.Label{ID: "rilis ini tidak memuat data itu", EN: "this release has no such partition"})
	}
	etag := ""
	if ext == "parquet" {
		etag = p.SHA256
	}
	filename := fmt.Sprintf("%s_%s_%d.%s", p.Dataset, p.Region, p.Year, ext)
	if format.unpack {
		return s.serveCSV(w, r, format.key(p), filename)
	}
	return s.serveObject(w, r, format.key(p), filename, format.contentType, etag)
}

// handleDatasetDownload serves /downloads/{release}/{dataset}.{parquet,csv.gz}:
// a dataset whole, as its release had it.
func (s *Server) handleDatasetDownload(w http.ResponseWriter, r *http.Request) error {
	v := mux.Vars(r)
	ds, ext, _ := strings.Cut(v["file"], ".")
	types := map[string]string{"parquet": "application/vnd.apache.parquet", "csv.gz": "application/gzip", "csv": "text/csv"}
	if _, err := dataset.Lookup(ds); err != nil || types[ext] == "" {
		return notFound(dataset.Label{ID: "unduhan tidak ada", EN: "no such download"})
	}
	m, err := s.downloadRelease(w, r, v["file"])
	if m == nil || err != nil {
		return err
	}
	if ext == "csv" {
		// The whole dataset as plain CSV, for a spreadsheet or a script
		// that does not unpack gzip: the stored csv.gz, unpacked.
		return s.serveCSV(w, r, publisher.DownloadDatasetPath(m, ds, "csv.gz"), ds+"_"+m.ID+".csv")
	}
	return s.serveObject(w, r, publisher.DownloadDatasetPath(m, ds, ext), ds+"_"+m.ID+"."+ext, types[ext], "")
}

// downloadRelease resolves the {release} of a download address: its
// manifest, or for "latest" a redirect to the live release's address, the
// rest of the path after the release being rest (then the manifest is nil).
func (s *Server) downloadRelease(w http.ResponseWriter, r *http.Request, rest string) (*publisher.Manifest, error) {
	pub := s.cfg.Publisher
	if pub == nil || s.cfg.Store == nil {
		return nil, notFound(dataset.Label{ID: "unduhan tidak tersedia di server ini", EN: "downloads are not served here"})
	}
	release := mux.Vars(r)["release"]
	if release == "latest" {
		id, _, err := pub.CurrentID(r.Context())
		if err != nil {
			return nil, &userError{status: statusOf(err), msg: dataset.Label{ID: "belum ada rilis", EN: "nothing is published yet"}, err: err}
		}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, "/downloads/"+id+"/"+rest, http.StatusFound)
		return nil, nil
	}
	m, err := pub.Release(r.Context(), release)
	if err != nil {
		return nil, s.releaseError(r, release, err)
	}
	return m, nil
}

// serveCSV sends a gzipped CSV download unpacked, as spreadsheets open
// it; with ?bom=1 it starts with a UTF-8 byte-order mark, without which
// Excel reads UTF-8 as the local code page.
func (s *Server) serveCSV(rw http.ResponseWriter, r *http.Request, key, filename string) error {
	w := s.steadyWriter(rw)
	rc, _, err := s.cfg.Store.Get(r.Context(), key)
	if err != nil {
		return &userError{status: statusOf(err), msg: dataset.Label{ID: "unduhan belum tersedia", EN: "the download is not available yet"}, err: err}
	}
	defer rc.Close()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if r.URL.Query().Get("bom") == "1" {
		w.Write([]byte("\ufeff"))
	}
	_, err = io.Copy(w, zr)
	return err
}

// serveObject serves a stored file as an immutable download, with ranges.
func (s *Server) serveObject(rw http.ResponseWriter, r *http.Request, key, filename, contentType, etag string) error {
	w := s.steadyWriter(rw)
	st := s.cfg.Store
	obj, err := st.Stat(r.Context(), key)
	if err != nil {
		return &userError{status: statusOf(err), msg: dataset.Label{ID: "unduhan belum tersedia", EN: "the download is not available yet"}, err: err}
	}
	if etag == "" {
		etag = obj.ETag
	}
	if ps, ok := st.(store.Presigner); ok && s.cfg.PresignDownloads {
		u, err := ps.PresignGet(r.Context(), key, presignExpiry, filename)
		if err != nil {
			return err
		}
		// The redirect lives shorter than the URL it names.
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(presignExpiry.Seconds()/2)))
		http.Redirect(w, r, u.String(), http.StatusFound)
		return nil
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", obj.Modified, io.NewSectionReader(store.ReaderAt(r.Context(), st, key), 0, obj.Size))
	return nil
}

// presignExpiry is how long a presigned download URL reads.
const presignExpiry = 15 * time.Minute

func notFound(msg dataset.Label) error {
	return &userError{status: http.StatusNotFound, msg: msg, err: dataset.ErrNotFound}
}

// byteUnits are the units file sizes are written in, smallest first,
// decimal as disks and browsers count them.
var byteUnits = []struct {
	size int64
	name string
}{{1e3, "kB"}, {1e6, "MB"}, {1e9, "GB"}, {1e12, "TB"}}

// byteSize writes a file's size as the page's language writes numbers:
// to one decimal under a hundred units (12,4 MB in Indonesian, 12.4 MB in
// English), in whole units from a hundred (124 MB), in bytes under a
// kilobyte. Rounding is half up; a size that rounds to a thousand of one
// unit is one of the next (999.500 bytes is 1 MB, not 1000 kB).
func byteSize(l lang, n int64) string {
	if n < byteUnits[0].size {
		return number(l, n) + nbsp + "B"
	}
	_, decimal := l.marks()
	for i, u := range byteUnits {
		last := i == len(byteUnits)-1
		if !last && n >= byteUnits[i+1].size {
			continue
		}
		if tenths := (n*10 + u.size/2) / u.size; tenths < 1000 {
			s := strconv.FormatInt(tenths/10, 10)
			if d := tenths % 10; d != 0 {
				s += decimal + strconv.FormatInt(d, 10)
			}
			return s + nbsp + u.name
		}
		whole := (n + u.size/2) / u.size
		if whole >= 1000 && !last {
			return "1" + nbsp + byteUnits[i+1].name
		}
		return number(l, whole) + nbsp + u.name
	}
	panic("unreachable")
}
