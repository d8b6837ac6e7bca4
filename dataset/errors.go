package dataset

import "errors"

// The few kinds of error the rest of Terbuka distinguishes. Packages wrap
// them with context; only site maps them to HTTP statuses.
var (
	// ErrNotFound means the object, release, record or region does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input broke a rule; the wrapping error says which.
	ErrInvalid = errors.New("invalid")
	// ErrConflict means a conditional write lost to a concurrent change.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means a dependency (storage, index) cannot answer now.
	ErrUnavailable = errors.New("unavailable")
)
