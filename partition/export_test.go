package partition

// RowGroupRows exposes the row-group size to the external tests.
const RowGroupRows = rowGroupRows

// SetRunLimits sets a sorted writer's run size and merge fan-in, so tests
// can make it spill and merge in several passes.
func SetRunLimits(w *SortedWriter, runBytes, fanIn int) { w.runBytes, w.fanIn = runBytes, fanIn }
