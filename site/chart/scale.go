package chart

import "math"

// maxTick bounds tick values to what an int64 holds, with room to spare
// for float64 rounding.
const maxTick = 9.2e18

// niceStep returns a round step (1, 2 or 5 times a power of ten, at least
// 1 because values are integers) that divides span into about n parts.
func niceStep(span float64, n int) float64 {
	raw := span / float64(max(n, 1))
	if !(raw > 1) { // also catches NaN
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range [...]float64{1, 2, 5} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// ticksIn returns the multiples of step within [lo, hi].
func ticksIn(lo, hi, step float64) []int64 {
	var ts []int64
	first := math.Ceil(lo / step)
	for i := 0.0; i < 64; i++ {
		t := (first + i) * step
		if t > hi {
			break
		}
		if t >= -maxTick && t <= maxTick {
			ts = append(ts, int64(t))
		}
	}
	return ts
}

// satAdd adds without wrapping around: totals of huge values saturate.
func satAdd(a, b int64) int64 {
	s := a + b
	if a > 0 && b > 0 && s < 0 {
		return math.MaxInt64
	}
	if a < 0 && b < 0 && s >= 0 {
		return math.MinInt64
	}
	return s
}

// stackAt sums category i across the series: the positive values, the
// negative ones, the net total, and whether any value is known. The sums are
// float64 so that they cannot overflow.
func stackAt(series []Series, i int) (pos, neg float64, net int64, ok bool) {
	for _, s := range series {
		v, known := s.at(i)
		if !known {
			continue
		}
		ok = true
		net = satAdd(net, v)
		if v > 0 {
			pos += float64(v)
		} else {
			neg += float64(v)
		}
	}
	return pos, neg, net, ok
}

// extent is a range of values that always includes zero, so that bars start
// at zero and lines are not exaggerated by a cut-off axis.
type extent struct{ lo, hi float64 }

func (e *extent) add(v float64) {
	e.lo = min(e.lo, v)
	e.hi = max(e.hi, v)
}

// measureLine returns the extent of every known value in charts.
func measureLine(charts []Chart) extent {
	var e extent
	for _, c := range charts {
		for _, s := range c.Series {
			for i := range c.Categories {
				if v, ok := s.at(i); ok {
					e.add(float64(v))
				}
			}
		}
	}
	return e
}

// lineScale is a line chart's value axis: its range, widened to round
// numbers, and the ticks on it.
type lineScale struct {
	lo, hi float64
	ticks  []int64
}

// scale widens e to multiples of a round step giving about n ticks. When all
// values are zero the only tick is zero, halfway up.
func (e extent) scale(n int) lineScale {
	if e.hi-e.lo == 0 {
		return lineScale{lo: -1, hi: 1, ticks: []int64{0}}
	}
	step := niceStep(e.hi-e.lo, n)
	lo, hi := math.Floor(e.lo/step)*step, math.Ceil(e.hi/step)*step
	return lineScale{lo: lo, hi: hi, ticks: ticksIn(lo, hi, step)}
}

// barScale is what bar charts sharing a scale have in common: the range of
// the bars' ends and the room their value labels need on either side.
type barScale struct {
	extent
	padNeg, padPos float64
}

// measureBars returns the scale that one chart's bars need.
func measureBars(k Kind, cats []string, series []Series, format func(int64) string) barScale {
	var s barScale
	label := func(l string, neg bool) {
		w := textWidth(clean(l), smallSize) + 2*gap
		if neg {
			s.padNeg = max(s.padNeg, w)
		} else {
			s.padPos = max(s.padPos, w)
		}
	}
	for i := range cats {
		if k == KindStacked {
			pos, neg, net, ok := stackAt(series, i)
			s.add(pos)
			s.add(neg)
			label(valueLabel(net, ok, format), net < 0)
			continue
		}
		for _, se := range series {
			v, ok := se.at(i)
			s.add(float64(v))
			label(valueLabel(v, ok, format), v < 0)
		}
	}
	return s
}

// merge returns a scale covering both s and o.
func (s barScale) merge(o barScale) barScale {
	s.add(o.lo)
	s.add(o.hi)
	s.padNeg = max(s.padNeg, o.padNeg)
	s.padPos = max(s.padPos, o.padPos)
	return s
}

// xmap maps values to x for bars: x = zero + v·k, with k > 0.
type xmap struct{ zero, k float64 }

func (m xmap) px(v float64) float64 { return m.zero + v*m.k }

// mapper returns the mapping for bars drawn between x0 and x1, leaving room
// for the value labels at both ends.
func (s barScale) mapper(x0, x1 float64) xmap {
	span := x1 - x0
	usable := max(span-s.padNeg-s.padPos, span/4, 1)
	k := usable / max(s.hi-s.lo, 1)
	return xmap{zero: x0 + s.padNeg - s.lo*k, k: k}
}

// valueLabel is the text at the end of a bar.
func valueLabel(v int64, ok bool, format func(int64) string) string {
	if !ok {
		return "–"
	}
	return format(v)
}
