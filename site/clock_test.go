package site

import "time"

// publishedAt is when the tests' feeds are received and their releases
// published: a fixed instant, so that what pages show of it is the same on
// any day the tests run.
var publishedAt = time.Date(2025, time.March, 4, 2, 30, 0, 0, time.UTC)

// todays are the days golden pages are rendered on: the day of
// publication and one in another year, later in the year than publication
// (in WIB, New Year's Eve 23:30). A page that showed today's date or year
// would differ between the two.
var todays = []time.Time{publishedAt.Add(time.Hour), time.Date(2026, time.December, 31, 16, 30, 0, 0, time.UTC)}

// clockAt is a clock that always reads t.
func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }
