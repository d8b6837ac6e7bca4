package intake

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/terbuka/terbuka/dataset"
)

// maxListed caps how many problems of each kind a report lists; the counts
// stay exact. A feed with a million bad rows needs the first few hundred
// to be fixed, not a report larger than the feed.
const maxListed = 1000

// perCodeListed caps the problems of one code a report lists, so that a
// file with a million bad amounts still shows its other kinds of problem.
const perCodeListed = 100

// Problem is one finding about a feed: where it is, what was there, and why
// it is wrong, in both languages.
type Problem struct {
	// Row is the line of the file as a spreadsheet shows it: the header is
	// row 1, the first record row 2. Zero means the whole file.
	Row int `json:"row"`
	// Column is the column name as written in the file's header.
	Column string `json:"column,omitempty"`
	// Value is the offending value as received (omitted for masked data),
	// clipped to its first maxShownChars characters when longer.
	Value   string        `json:"value,omitempty"`
	Code    string        `json:"code"`
	Message dataset.Label `json:"-"`
}

// problemJSON is how a problem is written, as Frictionless reports write
// theirs: the message flat, in both languages.
type problemJSON struct {
	Row       int    `json:"row"`
	Column    string `json:"column,omitempty"`
	Value     string `json:"value,omitempty"`
	Code      string `json:"code"`
	MessageID string `json:"message_id"`
	MessageEN string `json:"message_en"`
	// Message is how reports written before schema version 2 held it.
	Message *dataset.Label `json:"message,omitempty"`
}

func (p Problem) MarshalJSON() ([]byte, error) {
	p = p.public()
	return json.Marshal(problemJSON{Row: p.Row, Column: p.Column, Value: p.Value, Code: p.Code, MessageID: p.Message.ID, MessageEN: p.Message.EN})
}

func (p *Problem) UnmarshalJSON(b []byte) error {
	var j problemJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Problem{Row: j.Row, Column: j.Column, Value: j.Value, Code: j.Code, Message: dataset.Label{ID: j.MessageID, EN: j.MessageEN}}
	if j.Message != nil && p.Message.ID == "" {
		p.Message = *j.Message
	}
	// Reports kept before problems were masked and clipped are masked and
	// clipped as they are read.
	*p = p.public()
	return nil
}

// reportStats are a report's figures, as Frictionless reports give them.
type reportStats struct {
	Rows     int64  `json:"rows"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Bytes    int64  `json:"bytes"`
	SHA256   string `json:"sha256"`
}

// MarshalJSON writes the report with "valid" and "stats" first, the shape
// of a Frictionless validation report, then every field, the file name
// clipped (see clip).
func (r Report) MarshalJSON() ([]byte, error) {
	type fields Report
	r.File = clip(r.File, maxShownChars)
	return json.Marshal(struct {
		Valid bool        `json:"valid"`
		Stats reportStats `json:"stats"`
		fields
	}{
		Valid:  r.OK() && r.Status != StatusReceived && r.Status != StatusFailed,
		Stats:  reportStats{Rows: r.Rows, Errors: r.ErrorCount, Warnings: r.WarningCount, Bytes: r.Bytes, SHA256: r.SHA256},
		fields: fields(r),
	})
}

// UnmarshalJSON reads a report as MarshalJSON writes it, clipping the file
// name of one kept before names were clipped.
func (r *Report) UnmarshalJSON(b []byte) error {
	type fields Report
	if err := json.Unmarshal(b, (*fields)(r)); err != nil {
		return err
	}
	r.File = clip(r.File, maxShownChars)
	return nil
}

// Feed statuses.
const (
	StatusReceived  = "received"  // stored, being validated
	StatusFailed    = "failed"    // Terbuka failed (storage, disk): the feed may be sent again
	StatusRejected  = "rejected"  // errors: nothing published
	StatusValidated = "validated" // no errors; partition written, not yet in a release
	StatusPublished = "published" // part of a release
	StatusUnchanged = "unchanged" // same content as the live partition: no new release
	StatusChecked   = "checked"   // no errors; nothing published because it was a check (Meta.DryRun)
)

// Report is the outcome of one feed, kept under feeds/{id}.json for provenance.
type Report struct {
	FeedID   string    `json:"feed_id"`
	Dataset  string    `json:"dataset"`
	Region   string    `json:"region"`
	Year     int       `json:"year"`
	File     string    `json:"file,omitempty"`
	Source   string    `json:"source,omitempty"`
	Received time.Time `json:"received"`
	SHA256   string    `json:"sha256"`
	Bytes    int64     `json:"bytes"`
	RawKey   string    `json:"raw_key"`
	Status   string    `json:"status"`
	Rows     int64     `json:"rows"`
	// Partition is the object key of the Parquet file written for the feed.
	Partition string `json:"partition,omitempty"`
	// Withdrawn says the feed took its partition out of the portal.
	Withdrawn bool `json:"withdrawn,omitempty"`
	// DryRun says the feed was sent to be checked only: whatever its
	// status, it published nothing.
	DryRun  bool   `json:"dry_run,omitempty"`
	Release string `json:"release,omitempty"`
	// Failure says what went wrong on Terbuka's side when Status is failed.
	Failure      string `json:"failure,omitempty"`
	ErrorCount   int    `json:"error_count"`
	WarningCount int    `json:"warning_count"`
	// ErrorCodes and WarningCodes count the problems of each code, listed
	// or not.
	ErrorCodes   map[string]int `json:"error_codes,omitempty"`
	WarningCodes map[string]int `json:"warning_codes,omitempty"`
	Errors       []Problem      `json:"errors"`
	Warnings     []Problem      `json:"warnings"`
}

// Final reports whether the feed's processing ended: published, found
// unchanged, checked or rejected. A report still received or validated
// belongs to a feed being processed, or to one whose processing died with
// its process.
func (r *Report) Final() bool {
	switch r.Status {
	case StatusPublished, StatusUnchanged, StatusChecked, StatusRejected:
		return true
	}
	return false
}

// OK reports whether the feed has no errors.
func (r *Report) OK() bool { return r.ErrorCount == 0 }

func (r *Report) AddError(p Problem) {
	r.ErrorCount++
	r.ErrorCodes = listProblem(&r.Errors, r.ErrorCodes, p)
}

func (r *Report) AddWarning(p Problem) {
	r.WarningCount++
	r.WarningCodes = listProblem(&r.Warnings, r.WarningCodes, p)
}

// listProblem counts p under its code and lists it, masked and clipped,
// while its code and the list have room.
func listProblem(list *[]Problem, codes map[string]int, p Problem) map[string]int {
	if codes == nil {
		codes = map[string]int{}
	}
	codes[p.Code]++
	if codes[p.Code] <= perCodeListed && len(*list) < maxListed {
		*list = append(*list, p.public())
	}
	return codes
}

// public returns p as a report may show it. Without the NIK- and
// NPWP-shaped numbers its value, column or messages held: reports are
// public, and a value that is wrong may still be a person's id (a NIK in an
// amount column, a personal NPWP spelled in a way the schema does not
// read). And clipped: a 20 MB cell is named by its first characters and
// its length, not copied into the report and the page that shows it.
// Masking comes first, so that clipping cannot cut an id into a part that
// no longer looks like one. The texts kept are copies: a cell is a slice of
// its whole record, which a listed problem must not keep alive.
func (p Problem) public() Problem {
	p.Value, p.Column = dataset.MaskIDs(p.Value), dataset.MaskIDs(p.Column)
	p.Message.ID, p.Message.EN = dataset.MaskIDs(p.Message.ID), dataset.MaskIDs(p.Message.EN)
	p.Value, p.Column = strings.Clone(clip(p.Value, maxShownChars)), strings.Clone(clip(p.Column, maxShownChars))
	p.Message.ID, p.Message.EN = clip(p.Message.ID, maxMessageChars), clip(p.Message.EN, maxMessageChars)
	return p
}

func FileProblem(code, id, en string) Problem {
	return Problem{Code: code, Message: dataset.Label{ID: id, EN: en}}
}

// readError is a feed a reader other than CSV's cannot read on (a JSON
// object, an OCDS release, an Excel row), or a record that cannot be a
// row: where, what and why, as the report gives it.
type readError struct {
	problem Problem
}

func (e *readError) Error() string { return e.problem.Message.EN }

func newReadError(row int, column, value, code string, msg dataset.Label) error {
	return &readError{Problem{Row: row, Column: column, Value: value, Code: code, Message: msg}}
}
