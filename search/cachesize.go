package search

import "unsafe"

// The sizes a Cache counts a result by. They estimate what the Go heap
// holds for it: each struct, slice array, map and string's bytes, rounded
// up as the allocator does. TestResultBytesMatchesHeap compares the
// estimate with the heap's growth for real results.
const (
	// mapHeader is a map's own header (Go's swiss-table map).
	mapHeader = 48
	// mapGroupSlots is the slots of one group of a map's table, and
	// mapGroupCtrl its control word.
	mapGroupSlots = 8
	mapGroupCtrl  = 8
	// mapTable is what a map of more than one group adds: its table and
	// directory.
	mapTable = 64
	// cacheEntryBytes is a Cache's own cost per result: its list element,
	// entry and map slot.
	cacheEntryBytes = 48 + 48 + 64
)

// entryBytes is what a Cache holds for a result under key, beside the
// result itself.
func entryBytes(key string) int64 {
	return cacheEntryBytes + stringBytes(key)
}

// resultBytes estimates the heap bytes r holds.
func resultBytes(r *Result) int64 {
	n := sizeOf[Result]() + stringBytes(r.Next)
	n += allocBytes(int64(cap(r.Hits)) * sizeOf[Hit]())
	for i := range r.Hits {
		n += hitBytes(&r.Hits[i])
	}
	n += allocBytes(int64(cap(r.Facets)) * sizeOf[Facet]())
	for _, f := range r.Facets {
		n += stringBytes(f.Field) + allocBytes(int64(cap(f.Values))*sizeOf[FacetValue]())
		for _, v := range f.Values {
			n += stringBytes(v.Value)
			if v.Min != nil {
				n += 8
			}
			if v.Max != nil {
				n += 8
			}
		}
	}
	return n
}

// hitBytes estimates the heap bytes a hit holds beyond its struct. Map
// keys are schema field names, held by the schemas, so only values count.
func hitBytes(h *Hit) int64 {
	n := stringBytes(h.ID) + stringBytes(h.Dataset) + stringBytes(h.Title) + stringBytes(h.Region) + stringBytes(h.RegionName)
	if h.Fields != nil {
		n += mapBytes(len(h.Fields), sizeOf[string]()*2)
		for _, v := range h.Fields {
			n += stringBytes(v)
		}
	}
	if h.Fragments != nil {
		n += mapBytes(len(h.Fragments), sizeOf[string]()+sizeOf[[]string]())
		for _, fs := range h.Fragments {
			n += allocBytes(int64(cap(fs)) * sizeOf[string]())
			for _, s := range fs {
				n += stringBytes(s)
			}
		}
	}
	n += allocBytes(int64(cap(h.Stages)) * sizeOf[Stage]())
	for _, st := range h.Stages {
		n += stringBytes(st.Stage) + stringBytes(st.ID)
	}
	return n
}

// mapBytes estimates a map of n entries of slot bytes each: one group of
// eight slots up to eight entries, else a table of groups filled to at
// most 7/8, a power of two of them.
func mapBytes(n int, slot int64) int64 {
	group := mapGroupCtrl + mapGroupSlots*slot
	if n <= mapGroupSlots {
		return mapHeader + allocBytes(group)
	}
	groups := int64(1)
	for groups*mapGroupSlots*7/8 < int64(n) {
		groups *= 2
	}
	return mapHeader + mapTable + allocBytes(groups*group)
}

// stringBytes is the heap a string's bytes take; the header is counted
// with whatever holds the string.
func stringBytes(s string) int64 {
	return allocBytes(int64(len(s)))
}

// allocBytes rounds an allocation up as Go's size classes roughly do:
// to 8 bytes up to 128, to 16 up to 1 KiB, then to 1/8 of the next power
// of two.
func allocBytes(n int64) int64 {
	switch {
	case n == 0:
		return 0
	case n <= 128:
		return (n + 7) &^ 7
	case n <= 1024:
		return (n + 15) &^ 15
	}
	step := int64(1)
	for step*8 < n {
		step *= 2
	}
	return (n + step - 1) / step * step
}

func sizeOf[T any]() int64 {
	var v T
	return int64(unsafe.Sizeof(v))
}
