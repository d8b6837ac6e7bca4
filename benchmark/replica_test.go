package benchmark

import (
	"strings"
	"testing"
	"time"
)

func TestParseSnapshotStored(t *testing.T) {
	const stored = "index of release 000001 stored as index/snapshots/7.2/000001.json: 4 files, 456.7 MB, of which 4 pieces, 456.7 MB, uploaded; in 1m32.821s\n"
	tests := []struct {
		name    string
		out     string
		want    SnapshotStored
		wantErr string
	}{
		{"1M rows", stored, SnapshotStored{Release: "000001", Key: "index/snapshots/7.2/000001.json", Files: 4, MB: 456.7, Pieces: 4, UploadedMB: 456.7, Seconds: 92.821}, ""},
		{"nothing uploaded, after other lines", "a warning\nindex of release 000042 stored as index/snapshots/7.2/000042.json: 1 files, 0.5 MB, of which 0 pieces, 0.0 MB, uploaded; in 31ms\n",
			SnapshotStored{Release: "000042", Key: "index/snapshots/7.2/000042.json", Files: 1, MB: 0.5, UploadedMB: 0, Seconds: 0.031}, ""},
		{"no summary", "", SnapshotStored{}, "no summary"},
		{"a bad duration", strings.Replace(stored, "1m32.821s", "soon", 1), SnapshotStored{}, "soon"},
		{"a bad size", strings.Replace(stored, "456.7 MB, of", "4.5.6 MB, of", 1), SnapshotStored{}, "4.5.6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSnapshotStored(tt.out)
			checkParsed(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestParseRestoreLog(t *testing.T) {
	const downloading = `time=2026-12-06T14:05:35.946Z level=INFO msg="downloading the search index" snapshot=000001 release=000001 files=3 bytes=5022582 generation=/tmp/x/gen-000001` + "\n"
	const downloaded = `time=2026-12-06T14:05:36.016Z level=INFO msg="search index downloaded" snapshot=000001 bytes=456700000 took=2.574s` + "\n"
	tests := []struct {
		name   string
		log    string
		took   time.Duration
		bytes  int64
		wantOK bool
	}{
		{"downloaded", "Terbuka is serving http://127.0.0.1:1/\n" + downloading + downloaded, 2574 * time.Millisecond, 456_700_000, true},
		{"milliseconds", strings.Replace(downloaded, "2.574s", "84ms", 1), 84 * time.Millisecond, 456_700_000, true},
		{"built, not downloaded", downloading + `time=x level=INFO msg="search index built"` + "\n", 0, 0, false},
		{"no took", strings.Replace(downloaded, " took=2.574s", "", 1), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			took, n, ok := parseRestoreLog(tt.log)
			if took != tt.took || n != tt.bytes || ok != tt.wantOK {
				t.Errorf("got %v, %d, %v; want %v, %d, %v", took, n, ok, tt.took, tt.bytes, tt.wantOK)
			}
		})
	}
}
