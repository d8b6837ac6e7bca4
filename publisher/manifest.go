// Package publisher owns releases: immutable manifests listing the Parquet
// partitions of every dataset, and the conditional move of releases/current
// that makes one of them live.
package publisher

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"time"
)

// Object keys of the release protocol; the same on disk and on S3.
const (
	CurrentKey    = "releases/current"
	releasesDir   = "releases/"
	manifestExt   = ".json"
	releaseIDFmt  = "%06d"
	maxRebaseRuns = 20
)

// Partition is one Parquet file of a release: the complete content of one
// (dataset, region, year).
type Partition struct {
	Dataset string `json:"dataset"`
	Region  string `json:"region"`
	Year    int    `json:"year"`
	// Path is the object key of the Parquet file.
	Path          string `json:"path"`
	Rows          int64  `json:"rows"`
	SHA256        string `json:"sha256"`
	Bytes         int64  `json:"bytes"`
	SchemaVersion int    `json:"schema_version"`
	// Feeds lists the ids of the feeds the partition came from.
	Feeds []string `json:"feeds"`
	// Published is when this content first entered a release.
	Published time.Time `json:"published"`
}

// Withdrawn says a change takes its slot out of the release: a region
// withdrew the partition. Such a change has no file (Path is "").
func (p Partition) Withdrawn() bool { return p.Path == "" }

// Key identifies the partition's slot: "budget/32.73/2024".
func (p Partition) Key() string { return PartitionKey(p.Dataset, p.Region, p.Year) }

// PartitionKey formats the slot key of a (dataset, region, year).
func PartitionKey(dataset, region string, year int) string {
	return dataset + "/" + region + "/" + strconv.Itoa(year)
}

// DataPath returns the content-addressed object key for a partition file:
// data/{dataset}/year={y}/region={code}/{sha256[:16]}.parquet.
func DataPath(dataset, region string, year int, sha256 string) string {
	return path.Join("data", dataset, "year="+strconv.Itoa(year), "region="+region, sha256[:16]+".parquet")
}

// Manifest is an immutable release.
type Manifest struct {
	ID         string      `json:"id"`
	Parent     string      `json:"parent"`
	Created    time.Time   `json:"created"`
	Partitions []Partition `json:"partitions"`
}

// ManifestKey returns the object key of a release's manifest.
func ManifestKey(id string) string { return releasesDir + id + manifestExt }

// ChangelogKey returns the object key of what a release changed, partition
// by partition.
func ChangelogKey(id string) string { return releasesDir + id + ".changes.json" }

// RecordChangesKey returns the object key of every record a release
// added, removed or changed, one JSON object a line.
func RecordChangesKey(id string) string { return releasesDir + id + ".records.ndjson" }

// ReleaseKeys lists the objects that belong to release id, manifest last,
// in the order retention deletes them.
func ReleaseKeys(id string) []string {
	return []string{ChangelogKey(id), RecordChangesKey(id), ManifestKey(id)}
}

// Partition returns the partition in slot key, if any.
func (m *Manifest) Partition(key string) (Partition, bool) {
	for _, p := range m.Partitions {
		if p.Key() == key {
			return p, true
		}
	}
	return Partition{}, false
}

// seq is the release number: releases are numbered 000001, 000002, ...
func (m *Manifest) seq() (int, error) {
	if m == nil || m.ID == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(m.ID)
	if err != nil {
		return 0, fmt.Errorf("release id %q is not a number: %w", m.ID, err)
	}
	return n, nil
}

// apply returns the partitions of parent with changes replacing their
// slots (or, for a withdrawal, removing them), sorted by key, and whether
// anything differs from parent.
func apply(parent *Manifest, changes []Change) ([]Partition, bool) {
	slots := map[string]Partition{}
	if parent != nil {
		for _, p := range parent.Partitions {
			slots[p.Key()] = p
		}
	}
	changed := false
	for _, ch := range changes {
		c := ch.Partition
		old, ok := slots[c.Key()]
		switch {
		case c.Withdrawn():
			if ok {
				delete(slots, c.Key())
				changed = true
			}
			continue
		case ok && old.SHA256 == c.SHA256:
			continue
		}
		slots[c.Key()] = c
		changed = true
	}
	out := make([]Partition, 0, len(slots))
	for _, p := range slots {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Partition) int {
		return cmp.Or(cmp.Compare(a.Dataset, b.Dataset), cmp.Compare(a.Region, b.Region), cmp.Compare(a.Year, b.Year))
	})
	return out, changed
}
