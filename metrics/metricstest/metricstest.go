// Package metricstest reads /metrics as a Prometheus scraper does, for
// tests that check which counters moved.
package metricstest

import (
	"net/http"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Families are the metric families of one scrape, by name.
type Families map[string]*dto.MetricFamily

// Scrape gets url and parses the text exposition format it answers.
func Scrape(t testing.TB, url string) Families {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: status %d", url, resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	return fams
}

// Value is the value of the metric of family name whose labels are
// exactly labels (name, value, name, value…): a counter's or a gauge's
// value, a histogram's number of observations. A metric not exposed (a
// labelled counter never counted) is 0.
func (f Families) Value(name string, labels ...string) float64 {
	m := f.find(name, labels)
	switch {
	case m == nil:
		return 0
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return m.GetUntyped().GetValue()
}

// Has reports whether the metric of family name with exactly labels is
// exposed, at whatever value.
func (f Families) Has(name string, labels ...string) bool {
	return f.find(name, labels) != nil
}

func (f Families) find(name string, labels []string) *dto.Metric {
	for _, m := range f[name].GetMetric() {
		if hasLabels(m, labels) {
			return m
		}
	}
	return nil
}

func hasLabels(m *dto.Metric, labels []string) bool {
	if len(m.GetLabel())*2 != len(labels) {
		return false
	}
	for _, l := range m.GetLabel() {
		found := false
		for i := 0; i+1 < len(labels); i += 2 {
			if labels[i] == l.GetName() && labels[i+1] == l.GetValue() {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
